"""The Common Transfer File (CTF): reading one to admit pupils, writing one when a pupil leaves."""
