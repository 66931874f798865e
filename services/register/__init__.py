"""Register service: the statutory admission and attendance registers, their figures and events."""
