"""Pure domain rules of the register: codes, UPNs, school age, figures, thresholds and the school calendar."""
