"""Every call operation of the official SDKs, answered by the sandbox in the provider's own shape: the Python
SDKs driven unmodified over loopback, the Node SDKs' requests replayed byte for byte over HTTP; and the
simulated clock, which the Date header follows."""

from __future__ import annotations

import time
from datetime import timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest

from launcher.core.models import CallPhase
from launcher.core.providers.base import parse_time
from launcher.sandbox.providers._jambonz_resource import ACCOUNT_SID as JAMBONZ_ACCOUNT
from launcher.sandbox.providers._jambonz_resource import API_KEY, APPLICATION_SID
from launcher.sandbox.providers.twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.support.sandbox_server import RunningSandbox, running_sandbox

FROM = "+15005550006"
TWIML_URL = "https://example.com/twiml"


@pytest.fixture
def twilio(twilio_client: Any) -> Any:
    """The official Twilio client pointed at the sandbox (``twilio_client`` in conftest)."""
    return twilio_client


def test_twilio_sdk_lists_with_paging_and_filters(sandbox: RunningSandbox, twilio: Any) -> None:
    placed = [twilio.calls.create(to=to, from_=FROM, url=TWIML_URL).sid
              for to in ("+14155550005", "+14155550001", "+14155550005", "+14155550005", "+14155550003")]
    newest_first = placed[::-1]
    assert [c.sid for c in twilio.calls.list(page_size=2)] == newest_first  # three pages, followed by the SDK
    assert [c.sid for c in twilio.calls.list(page_size=2, limit=3)] == newest_first[:3]
    assert [c.sid for c in twilio.calls.list(to="+14155550001")] == [placed[1]]
    assert [c.sid for c in twilio.calls.list(from_=FROM, to="+14155550005", page_size=1)] == \
        [placed[3], placed[2], placed[0]]
    page = twilio.calls.page(page_size=2)
    assert [c.sid for c in page] == newest_first[:2] and page.next_page_url is not None
    assert [c.sid for c in page.next_page()] == newest_first[2:4]
    deadline = time.monotonic() + 5
    while [c.sid for c in twilio.calls.list(status="failed")] != [placed[4]]:  # fails 1.5 simulated s later
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert twilio.calls.list(status="busy", to="+14155550005") == []
    assert twilio.calls.list(parent_call_sid="CA" + "0" * 32) == []  # none of them was spawned by another call
    started = [c.sid for c in twilio.calls.list() if c.start_time is not None]
    assert started and set(started) <= set(placed)
    today = sandbox.engine.clock.wall(sandbox.engine.clock.now())
    assert [c.sid for c in twilio.calls.list(start_time_after=today - timedelta(days=1))] == \
        [sid for sid in newest_first if sid in started]
    assert twilio.calls.list(start_time_before=today - timedelta(days=1)) == []
    assert twilio.calls.list(end_time_after=today + timedelta(days=1)) == []


def test_twilio_sdk_fetches_updates_and_deletes(sandbox: RunningSandbox, twilio: Any) -> None:
    from twilio.base.exceptions import TwilioException, TwilioRestException

    sid = twilio.calls.create(to="+14155550005", from_=FROM, url=TWIML_URL).sid
    assert twilio.calls(sid).fetch().sid == sid
    assert twilio.calls(sid).recordings.list() == []
    assert twilio.calls(sid).notifications.list() == []
    assert twilio.calls(sid).events.list() == []
    assert twilio.calls(sid).update(status="completed").status in ("canceled", "completed")
    assert twilio.calls(sid).delete() is True
    with pytest.raises(TwilioRestException) as gone:
        twilio.calls(sid).fetch()
    assert gone.value.status == 404 and gone.value.code == 20404
    with pytest.raises(TwilioRestException) as again:
        twilio.calls(sid).delete()
    assert again.value.status == 404
    with pytest.raises(TwilioException) as listed:  # the SDK's list reports a refusal this way
        twilio.calls(sid).recordings.list()
    assert "HTTP 404" in str(listed.value) and '"code":20404' in str(listed.value)
    assert sid not in [c.sid for c in twilio.calls.list()]


def test_twilio_list_and_delete_answer_in_twilios_shape(sandbox: RunningSandbox) -> None:
    url = f"{sandbox.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
    with httpx.Client(auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10) as client:
        sid = client.post(url, data={"To": "+14155550005", "From": FROM, "Url": TWIML_URL}).json()["sid"]
        page = client.get(url, params={"PageSize": 1, "To": "+14155550005"}).json()
        assert set(page) == {"calls", "end", "first_page_uri", "next_page_uri", "page", "page_size",
                             "previous_page_uri", "start", "uri"}
        assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 1, 0, 0)
        assert page["calls"][0]["sid"] == sid and page["previous_page_uri"] is None
        assert page["uri"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json?PageSize=1&Page=0&To=%2B14155550005"
        assert client.get(url, params={"PageSize": 1001}).status_code == 400
        assert client.get(url, auth=(ACCOUNT_SID, "wrong")).status_code == 401
        deleted = client.delete(url.replace("Calls.json", f"Calls/{sid}.json"))
        assert (deleted.status_code, deleted.content) == (204, b"")


# -- jambonz: the requests of @jambonz/node-client (jambonz-node lib/rest/jambonz.js, rest-entity.js) ------
def test_jambonz_node_client_requests_are_answered_without_redirects(sandbox: RunningSandbox) -> None:
    """bent clients on ``{baseUrl}/v1/`` with ``Authorization: Bearer``: create POSTs ``Accounts/{sid}/Calls``
    (expects 201), list GETs ``Accounts/{sid}/Calls/`` (trailing slash, expects 200), retrieve GETs
    ``.../Calls/{callSid}``, update PUTs it (200/202/204), delete DELETEs it (204)."""
    calls = f"{sandbox.url}/v1/Accounts/{JAMBONZ_ACCOUNT}/Calls"
    body = {"application_sid": APPLICATION_SID, "from": "+15083728299",
            "to": {"type": "phone", "number": "+16172375005"}}
    with httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10, follow_redirects=False) as client:
        created = client.post(calls, json=body)
        assert created.status_code == 201
        sid = created.json()["sid"]
        for listing in (client.get(calls + "/"), client.get(calls)):
            assert listing.status_code == 200, listing.headers.get("location")
            assert sid in [c["call_sid"] for c in listing.json()]
        assert client.get(f"{calls}/{sid}").json()["call_sid"] == sid
        call = sandbox.engine.get("jambonz", sid)
        assert call is not None
        deadline = time.monotonic() + 5
        while call.snapshot(sandbox.engine.clock.now()).phase is not CallPhase.ANSWERED:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        assert client.put(f"{calls}/{sid}", json={"call_status": "completed"}).status_code == 202
        assert client.delete(f"{calls}/{sid}").status_code == 204
        assert client.get(f"{calls}/{sid}").status_code == 404
        assert client.delete(f"{calls}/{sid}").status_code == 404
        assert sid not in [c["call_sid"] for c in client.get(calls + "/").json()]


# -- the simulated clock ---------------------------------------------------------------------------------
def test_timestamps_and_the_date_header_share_the_simulated_clock() -> None:
    """At speed 200 a call answered 4 simulated seconds in and hung up at once shows answer - start = 4 s,
    and the answer's Date header is no earlier than the call's end: one clock for everything shown."""
    with running_sandbox(speed=200.0) as sandbox, httpx.Client(auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10) as client:
        url = f"{sandbox.url}/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json"
        sid = client.post(url, data={"To": "+14155550005", "From": FROM, "Url": TWIML_URL}).json()["sid"]
        call_url = url.replace("Calls.json", f"Calls/{sid}.json")
        deadline = time.monotonic() + 5
        call = sandbox.engine.get("twilio", sid)
        assert call is not None
        while call.snapshot(sandbox.engine.clock.now()).phase is not CallPhase.ANSWERED:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        ended = client.post(call_url, data={"Status": "completed"})
        data = ended.json()
        date = parsedate_to_datetime(ended.headers["date"])
        end = parse_time(data["end_time"])
        assert end is not None and len(ended.headers.get_list("date")) == 1
        assert end - timedelta(seconds=1) <= date <= end + timedelta(seconds=10)  # RFC 2822: whole seconds
        assert (end - sandbox.engine.clock.wall(0.0)).total_seconds() >= 4.0  # answered 4 simulated s in


# -- Bandwidth: updateCallBxml, the one call operation of bandwidth-sdk beyond create/get/list/update ------
def test_bandwidth_sdk_replaces_an_active_calls_bxml(sandbox: RunningSandbox) -> None:
    bandwidth = pytest.importorskip("bandwidth")
    from bandwidth.api.calls_api import CallsApi
    from bandwidth.exceptions import ApiException
    from bandwidth.models import CreateCall

    from launcher.sandbox.providers.bandwidth import SIMULATOR

    creds = SIMULATOR.credentials
    config = bandwidth.Configuration(host=f"{sandbox.url}/api/v2", username=creds.username, password=creds.secret,
                                     ignore_operation_servers=True)
    calls = CallsApi(bandwidth.ApiClient(config))
    call_id = calls.create_call(creds.account_id, CreateCall(
        to="+15555550005", var_from="+15555551212", application_id="app-1",
        answer_url="https://example.com/answer")).call_id
    document = '<?xml version="1.0" encoding="UTF-8"?><Bxml><SpeakSentence>Hi</SpeakSentence></Bxml>'
    with pytest.raises(ApiException) as early:  # queued: not active yet
        calls.update_call_bxml(creds.account_id, call_id, document)
    assert early.value.status in (404, 409)
    call = sandbox.engine.get("bandwidth", call_id)
    assert call is not None
    deadline = time.monotonic() + 5
    while call.snapshot(sandbox.engine.clock.now()).phase is not CallPhase.ANSWERED:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    answer = calls.update_call_bxml_with_http_info(creds.account_id, call_id, document)
    assert answer.status_code == 204 and call.extra["bxml"] == [document]
    now = sandbox.engine.clock.wall(sandbox.engine.clock.now())
    hour_ago, day_ago = (now - timedelta(hours=1)).isoformat(), (now - timedelta(days=1)).isoformat()
    assert [c.call_id for c in calls.list_calls(creds.account_id, min_start_time=hour_ago)] == [call_id]
    assert calls.list_calls(creds.account_id, max_start_time=day_ago) == []
    with httpx.Client(auth=(creds.username or "", creds.secret), timeout=10) as client:
        url = f"{sandbox.url}/api/v2/accounts/{creds.account_id}/calls/{call_id}/bxml"
        assert client.put(url, content=document, headers={"Content-Type": "application/json"}).status_code == 415
        assert client.put(url, content="<Response/>", headers={"Content-Type": "application/xml"}).status_code == 400
        assert client.post(url, content=document, headers={"Content-Type": "application/xml"}).status_code == 405


# -- Catapult: node-bandwidth 4.0's Call operations, replayed as it sends them -----------------------------
def test_node_bandwidth_call_control_requests(sandbox: RunningSandbox) -> None:
    """``client.makeRequest`` sends JSON to ``{base}/v1/users/{userId}/{path}`` with Basic auth."""
    from launcher.sandbox.providers.catapult import SIMULATOR

    creds = SIMULATOR.credentials
    base = f"{sandbox.url}/v1/users/{creds.account_id}/"
    with httpx.Client(auth=(creds.username or "", creds.secret), timeout=10,
                      headers={"User-Agent": "node-bandwidth/v4.0.0"}) as client:
        created = client.post(base + "calls", json={"from": "+19195551212", "to": "+19195550005"})  # Call.create
        assert created.status_code == 201
        call_id = created.headers["location"].rsplit("/", 1)[1]
        calls = base + "calls/"
        early = client.post(calls + call_id + "/audio", json={"sentence": "Hello From Bandwidth"})
        assert early.status_code == 403 and early.json()["code"] == "call-invalid-state"
        call = sandbox.engine.get("catapult", call_id)
        assert call is not None
        deadline = time.monotonic() + 5
        while call.snapshot(sandbox.engine.clock.now()).phase is not CallPhase.ANSWERED:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        for body in ({"sentence": "Hello From Bandwidth"}, {"sentence": ""}, {"fileUrl": "http://myurl.com/file.mp3"},
                     {"fileUrl": "http://myurl.com/file.mp3", "loopEnabled": True}):  # speak/stop/play/advanced
            answer = client.post(calls + call_id + "/audio", json=body)
            assert (answer.status_code, answer.content) == (200, b"")
        assert client.post(calls + call_id + "/dtmf", json={"dtmfOut": "1"}).status_code == 200  # sendDtmf
        assert client.post(calls + call_id + "/dtmf", json={"dtmfOut": "x"}).status_code == 400
        for update in ({"recordingEnabled": True}, {"recordingEnabled": False}):  # enable/disableRecording
            assert client.post(calls + call_id, json=update).status_code == 200
        gather = client.post(calls + call_id + "/gather", json={"maxDigits": 30, "interDigitTimeout": "30",
                                                               "terminatingDigits": "0#*"})  # createGather
        assert gather.status_code == 201
        gather_id = gather.headers["location"].rsplit("/", 1)[1]
        assert gather.headers["location"] == f"{calls}{call_id}/gather/{gather_id}"
        assert client.get(f"{calls}{call_id}/gather/{gather_id}").json()["state"] == "started"  # getGather
        done = client.post(f"{calls}{call_id}/gather/{gather_id}", json={"state": "completed"})  # completeGather
        assert done.status_code == 200
        assert client.get(f"{calls}{call_id}/gather/{gather_id}").json()["state"] == "completed"
        events = client.get(calls + call_id + "/events").json()  # getEvents
        assert [e["name"] for e in events] == ["create", "answer"]
        assert client.get(f"{calls}{call_id}/events/{events[1]['id']}").json() == events[1]  # getEvent
        assert client.get(f"{calls}{call_id}/events/ev-unknown").status_code == 404
        assert client.get(calls + call_id + "/recordings").json() == []  # getRecordings
        assert client.get(calls + call_id + "/transcriptions").json() == []  # getTranscriptions
        assert client.post(calls + call_id, json={"state": "completed"}).status_code == 200  # hangup
        assert call.snapshot(sandbox.engine.clock.now()).phase is CallPhase.ENDED
