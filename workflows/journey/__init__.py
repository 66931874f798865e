"""The pupil journey: one long-running workflow per pupil, from first-day response to closure.

workflow.py (PupilJourney: signals, updates, queries, timers, continue-as-new), state.py (JourneyState),
transitions.py (what is legal when, and why not), steps.py (officer actions), facts.py (register facts),
lapses.py (deadlines that pass), policy.py (dates and amounts), activities.py (HTTP to the services).
"""
