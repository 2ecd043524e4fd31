"""The reporting context: the sealed PDF report and the CSV exports."""
