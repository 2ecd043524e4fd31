"""The sedation context: the nurse's record of drugs, oxygen, vital signs, sedation depth and
adverse events."""
