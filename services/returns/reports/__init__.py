"""Reports built from the registers: figures by cohort, the governor report, the LA dashboard, compliance."""
