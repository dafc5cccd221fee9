"""An in-process network seam: a ``BaseRequest`` that answers from the Bot API stand-in.

Fast tests build the real application with ``build_application(settings, request=...)`` and
feed updates through ``Application.process_update``; every Bot API call still goes through PTB's
own request pipeline (parameter encoding, error mapping to ``BadRequest``/``RetryAfter``...) and
gets the stand-in's strict answers, but no socket is opened.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from tests.helpers.botapi_standin import BotApiStandIn, Call


class RecordingRequest(BaseRequest):
    """Routes ``.../bot<token>/<method>`` to :meth:`BotApiStandIn.call`, which records it."""

    def __init__(self, standin: BotApiStandIn | None = None) -> None:
        self.standin = standin or BotApiStandIn()

    @property
    def sent(self) -> list[Call]:
        return self.standin.sent

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        path = urlsplit(url).path
        prefix, _, api_method = path.rpartition("/")
        token = prefix.rpartition("/bot")[2]
        # json_parameters is exactly what HTTPXRequest puts on the wire (form fields).
        params = request_data.json_parameters if request_data is not None else {}
        status, body = await self.standin.call(token, api_method, params)
        return status, json.dumps(body).encode()
