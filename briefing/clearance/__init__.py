"""The clearance side: review, accept and reject, redline, absorb."""
