"""StandInBackupApi: answers the five AWS Backup calls that moto does not implement.

moto (5.x) implements backup plans and vaults, but not backup selections, recovery points,
protected resources or region settings. Everything else in these tests goes to a real moto server
over HTTP; only these operations are answered here, through botocore's ``before-call`` event (the
documented hook that lets a handler supply the response instead of sending the request), with
the same response shapes the AWS API documents. The stand-in keeps its data per region.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from botocore.awsrequest import AWSResponse

_OPERATIONS = (
    "ListBackupSelections",
    "GetBackupSelection",
    "ListProtectedResources",
    "ListRecoveryPointsByResource",
    "DescribeRegionSettings",
)
ACCOUNT = "123456789012"
DEFAULT_OPT_IN = {"S3": True, "DynamoDB": True, "RDS": True, "Aurora": True, "EBS": True}


class StandInBackupApi:
    def __init__(self) -> None:
        self.selections: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        """region -> selection id -> {BackupPlanId, BackupSelection}"""
        self.recovery_points: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
        """region -> resource ARN -> recovery points"""
        self.resource_types: dict[str, str] = {}
        self.opt_in: dict[str, dict[str, bool]] = defaultdict(lambda: dict(DEFAULT_OPT_IN))
        self.calls: list[str] = []

    # ---------------------------------------------------------------------------- seeding

    def add_selection(self, region: str, plan_id: str, selection: dict[str, Any]) -> str:
        selection_id = str(uuid.uuid4())
        self.selections[region][selection_id] = {
            "BackupPlanId": plan_id,
            "BackupSelection": selection,
        }
        return selection_id

    def add_recovery_point(
        self,
        region: str,
        arn: str,
        resource_type: str,
        created: datetime,
        status: str = "COMPLETED",
    ) -> None:
        self.resource_types[arn] = resource_type
        point_arn = f"arn:aws:backup:{region}:{ACCOUNT}:recovery-point:{uuid.uuid4()}"
        self.recovery_points[region].setdefault(arn, []).append(
            {
                "RecoveryPointArn": point_arn,
                "CreationDate": created,
                "Status": status,
                "BackupVaultName": "Default",
            }
        )

    # ---------------------------------------------------------------------------- wiring

    def install(self, session: Any) -> None:
        """Register on a boto3 Session (before it creates clients): ``session_hook`` target."""
        for operation in _OPERATIONS:
            session.events.register(f"before-parameter-build.backup.{operation}", self._keep_params)
            session.events.register(f"before-call.backup.{operation}", self._answer)

    def install_client(self, client: Any) -> None:
        for operation in _OPERATIONS:
            client.meta.events.register(
                f"before-parameter-build.backup.{operation}", self._keep_params
            )
            client.meta.events.register(f"before-call.backup.{operation}", self._answer)

    @staticmethod
    def _keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["stand_in_params"] = dict(params)

    def _answer(self, model: Any, context: dict[str, Any], request_signer: Any, **_: Any) -> Any:
        params = context.get("stand_in_params", {})
        region = request_signer.region_name
        self.calls.append(model.name)
        status, body = getattr(self, f"_{model.name}")(region, params)
        return AWSResponse("https://stand-in.invalid", status, {}, None), body

    # ---------------------------------------------------------------------------- operations

    def _ListBackupSelections(self, region: str, params: dict[str, Any]) -> tuple[int, Any]:
        items = [
            {
                "SelectionId": sid,
                "SelectionName": sel["BackupSelection"]["SelectionName"],
                "BackupPlanId": sel["BackupPlanId"],
                "IamRoleArn": sel["BackupSelection"].get("IamRoleArn", ""),
            }
            for sid, sel in self.selections[region].items()
            if sel["BackupPlanId"] == params["BackupPlanId"]
        ]
        return 200, {"BackupSelectionsList": items}

    def _GetBackupSelection(self, region: str, params: dict[str, Any]) -> tuple[int, Any]:
        found = self.selections[region].get(params["SelectionId"])
        if found is None or found["BackupPlanId"] != params["BackupPlanId"]:
            return 404, {
                "Error": {"Code": "ResourceNotFoundException", "Message": "no such selection"}
            }
        return 200, {"SelectionId": params["SelectionId"], **found}

    def _ListProtectedResources(self, region: str, params: dict[str, Any]) -> tuple[int, Any]:
        results = [
            {
                "ResourceArn": arn,
                "ResourceType": self.resource_types[arn],
                "LastBackupTime": max(p["CreationDate"] for p in points),
            }
            for arn, points in self.recovery_points[region].items()
        ]
        return 200, {"Results": results}

    def _ListRecoveryPointsByResource(self, region: str, params: dict[str, Any]) -> tuple[int, Any]:
        points = self.recovery_points[region].get(params["ResourceArn"], [])
        return 200, {"RecoveryPoints": list(points)}

    def _DescribeRegionSettings(self, region: str, params: dict[str, Any]) -> tuple[int, Any]:
        return 200, {"ResourceTypeOptInPreference": dict(self.opt_in[region])}
