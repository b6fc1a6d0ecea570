"""An attachment upload sent with `Transfer-Encoding: chunked` and no Content-Length (as streaming clients send
files of unknown size) is read to its end through the web server as deployed, not refused as empty."""

import hashlib
import http.client

import pytest

from correspondence.models import AttachmentStatus, SharedAttachment
from tests.processes import Gunicorn, project_env, session_database_url

from .helpers import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(media_root, tmp_path):
    """gunicorn on a free port, storing files where this test reads them."""
    started = Gunicorn(
        project_env(DATABASE_URL=session_database_url(), MEDIA_ROOT=media_root), tmp_path, workers=1, threads=2
    )
    try:
        yield started.wait_ready()
    finally:
        started.stop()


def chunked_upload(server, key: str, attachment_id: str, chunks: list[bytes]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(
            "POST",
            f"/correspondence/api/v1/attachment/{attachment_id}/upload",
            body=iter(chunks),
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/octet-stream"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def initialized(altinn, data: bytes) -> str:
    body = {"fileName": "report.pdf", "sendersReference": "r", "checksum": hashlib.md5(data).hexdigest()}
    return altinn.post("/correspondence/api/v1/attachment", body, format="json").json()


def test_a_chunked_upload_is_read_whole_and_published(altinn, server):
    data = PDF_BYTES + b"%" + b"x" * 200_000 + b"\n"
    attachment_id = initialized(altinn, data)
    chunks = [data[i : i + 65_536] for i in range(0, len(data), 65_536)]

    status, body = chunked_upload(server, altinn.key, attachment_id, chunks)

    assert status == 200, body
    attachment = SharedAttachment.objects.get(pk=attachment_id)
    assert (attachment.status, attachment.size) == (AttachmentStatus.PUBLISHED, len(data))
    download = altinn.get(f"/correspondence/api/v1/attachment/{attachment_id}/download")
    assert b"".join(download.streaming_content) == data


def test_a_chunked_upload_with_no_bytes_is_refused_and_the_attachment_keeps_waiting(altinn, server):
    body = {"fileName": "report.pdf", "sendersReference": "r"}
    attachment_id = altinn.post("/correspondence/api/v1/attachment", body, format="json").json()

    status, body = chunked_upload(server, altinn.key, attachment_id, [])

    assert status == 400, body
    assert b'"errorCode":2004' in body
    assert SharedAttachment.objects.get(pk=attachment_id).status == AttachmentStatus.INITIALIZED, "still waiting"
    status, body = chunked_upload(server, altinn.key, attachment_id, [PDF_BYTES])
    assert status == 200, body
