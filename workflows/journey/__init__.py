"""The pupil journey: one long-running workflow per pupil, from first-day response to closure.

workflow.py (PupilJourney: signals, updates, queries, timers, continue-as-new), state.py (JourneyState),
transitions.py (what is legal when, and why not), legal_steps.py (the lawful pathway's refusals: effective dates,
support first, the guards on legal steps), steps.py and notices.py (officer actions), facts.py (register facts),
lapses.py (deadlines that pass), policy.py (dates, school weeks of the school's calendar, working days),
penalty.py (penalty notice dates, rates and the limit), activities.py (HTTP to the services).
"""
