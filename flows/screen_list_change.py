"""Flow: screen every customer against what one list activation changed (triggered by
the ``kyc.list.activated`` event: see prefect.yaml). Run twice for the same change set
(an event delivered twice), it does the work once."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact

from flows.refresh_lists import delta_rescreen


@flow(name="screen-list-change")
def screen_list_change(change_set_id: int) -> str:
    line = delta_rescreen(change_set_id)
    get_run_logger().info(line)
    create_table_artifact(
        [{"change set": str(change_set_id), "done": line}],
        key="screen-list-change-summary",
        description="What screening the list change did",
    )
    return line
