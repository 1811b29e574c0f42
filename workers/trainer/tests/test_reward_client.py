"""The reward service client against a local HTTP stub with the service's request/answer shape."""

import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, HTTPServer

import helpers
from sgg_trainer.rewards import HttpScorer, RewardServiceError


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server naming
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.requests.append((self.path, body))  # type: ignore[attr-defined]
        if body["preset"] == "bad":
            self.send_response(400)
            self.end_headers()
            self.wfile.write(b'{"error": "invalid request: preset"}')
            return
        out = helpers.StubScorer()(body["items"], body["preset"], body.get("weights") or {})
        data = json.dumps({"rewards": out}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


class HttpScorerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = HTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def tearDown(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def test_request_and_answer(self) -> None:
        item = {"completion": "```json\n{\"objects\": [], \"relationships\": []}\n```", "gt": {"objects": [{"id": "a.1", "bbox": [0, 0, 1, 1]}], "relationships": []},
                "image_size": [10, 10], "box_scale": [1000, 1000]}
        out = HttpScorer(self.url + "/")([item, item], "hard_recall", {"format": 1.0})
        self.assertEqual(len(out), 2)
        self.assertEqual(out[0]["values"]["format"], 1.0)
        path, body = self.server.requests[0]  # type: ignore[attr-defined]
        self.assertEqual(path, "/score")
        self.assertEqual(set(body), {"items", "preset", "weights", "strict_format"})
        self.assertEqual(body["items"][0]["box_scale"], [1000, 1000])

    def test_client_error_is_not_retried(self) -> None:
        with self.assertRaises(RewardServiceError) as cm:
            HttpScorer(self.url)([], "bad", {})
        self.assertIn("400", str(cm.exception))
        self.assertEqual(len(self.server.requests), 1)  # type: ignore[attr-defined]

    def test_unreachable(self) -> None:
        with self.assertRaises(RewardServiceError):
            HttpScorer("http://127.0.0.1:9", timeout_s=1, retries=1)([], "hard_recall", {})


if __name__ == "__main__":
    unittest.main()
