"""The medication tab of the nurse's panel: `entry` (doses charted, struck out, corrected;
oxygen charted), `confirm` (a dose shown back), `correction` (the correction form), `oxygen`
(the oxygen row) and `quick` (the quick-dose buttons)."""
