"""Child process for the kill test: records sites as fast as it can and reports each one
only after the service call returned (i.e. after the durable commit).

    python -m tests.integration.kill_worker DB_PATH PROCEDURE_ID [PROCEDURE_ID ...]
"""

from __future__ import annotations

import sys

from slidesk.clock import SystemClock
from slidesk.services.accounts import service as accounts
from slidesk.services.procedure import service as procedures
from slidesk.services.procedure import site_entries
from slidesk.services.workstation.database import open_database
from tests.conftest import PASSWORD
from tests.fakes import cheap_hasher


def main(argv: list[str]) -> None:
    opened = open_database(argv[0])
    uow, clock = opened.uow, SystemClock()
    operator = accounts.authenticate(
        uow=uow, clock=clock, username="operator", password=PASSWORD, hasher=cheap_hasher()
    )
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    for procedure_id in (int(a) for a in argv[1:]):
        view = procedures.get_procedure(uow=uow, actor=operator, procedure_id=procedure_id)
        used = {e.syringe_label for e in view.entries if not e.voided and e.syringe_label}
        while view.next_site_no is not None:
            syringe = next(n for n in range(1, 31) if f"{view.kit_number}-{n:02d}" not in used)
            site = view.next_site_no
            view = site_entries.record_injection(
                uow=uow,
                clock=clock,
                actor=operator,
                procedure_id=procedure_id,
                site_no=site,
                depth_mm="12.5",
                volume_ml="1.0",
                syringe=str(syringe),
            )
            used.add(f"{view.kit_number}-{syringe:02d}")
            sys.stdout.write(f"OK {procedure_id} {site} {syringe}\n")
            sys.stdout.flush()
    sys.stdout.write("ALL DONE\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
