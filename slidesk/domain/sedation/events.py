"""Sedation events (World SIVA's common terms) and the interventions that answered them.

Standard library only.
"""

from __future__ import annotations

from enum import StrEnum


class SedationEventKind(StrEnum):
    """Sedation events after the World SIVA reporting tool's common terms."""

    DESATURATION = "desaturation"
    APNOEA = "apnoea"
    AIRWAY_OBSTRUCTION = "airway_obstruction"
    HYPOTENSION = "hypotension"
    BRADYCARDIA = "bradycardia"
    NAUSEA_VOMITING = "nausea_vomiting"
    AGITATION = "agitation"
    ALLERGIC_REACTION = "allergic_reaction"
    VASOVAGAL = "vasovagal"
    REVERSAL_GIVEN = "reversal_given"
    OTHER = "other"

    @property
    def label(self) -> str:
        return (
            self.value.replace("_", " ")
            .replace("nausea vomiting", "nausea / vomiting")
            .capitalize()
        )


class Intervention(StrEnum):
    STIMULATION = "stimulation"
    CHIN_LIFT = "chin_lift"
    JAW_THRUST = "jaw_thrust"
    OXYGEN_INCREASED = "oxygen_increased"
    AIRWAY_ADJUNCT = "airway_adjunct"
    BAG_MASK = "bag_mask_ventilation"
    REVERSAL_AGENT = "reversal_agent"
    FLUIDS = "iv_fluids"
    VASOPRESSOR_ATROPINE = "vasopressor_or_atropine"
    PROCEDURE_PAUSED = "procedure_paused"
    PROCEDURE_STOPPED = "procedure_stopped"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Intervention.STIMULATION: "Verbal/tactile stimulus",
            Intervention.CHIN_LIFT: "Chin lift",
            Intervention.JAW_THRUST: "Jaw thrust",
            Intervention.OXYGEN_INCREASED: "Oxygen increased",
            Intervention.AIRWAY_ADJUNCT: "Airway adjunct",
            Intervention.BAG_MASK: "Bag-mask ventilation",
            Intervention.REVERSAL_AGENT: "Reversal agent",
            Intervention.FLUIDS: "IV fluids",
            Intervention.VASOPRESSOR_ATROPINE: "Vasopressor / atropine",
            Intervention.PROCEDURE_PAUSED: "Procedure paused",
            Intervention.PROCEDURE_STOPPED: "Procedure stopped",
            Intervention.OTHER: "Other",
        }[self]
