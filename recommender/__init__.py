"""gaitkeeper."""
