"""Register's business rules: admissions, marking and amendments, figures and the events they raise."""
