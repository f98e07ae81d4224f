#!/usr/bin/env python3
"""Checks the Python interop scripts against each other, without the Swift side:
fake_api.py (a stand-in local API) + official_runner.py (the official runner) + client.py.

    selftest.py [--keep-logs DIR]

Everything listens on 127.0.0.1 on free ports; the whole run is bounded (about 30 s). Ends with the
line "N passed, N failed" and exits 1 if anything failed.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable
PAT = "selftest-pat"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("PASS %s" % name, flush=True)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, detail), flush=True)


def start(args, out, err):
    return subprocess.Popen([PY] + args, stdout=out, stderr=err, start_new_session=True)


def stop(proc, timeout=10.0):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
        return None


def client(port, *args):
    cmd = [PY, os.path.join(HERE, "client.py")] + list(args[:1]) + [
        "--port", str(port), "--pat", PAT, "--model-id", "upper", "--timeout", "15"] + list(args[1:])
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    try:
        return json.loads(res.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"error": "no JSON", "stdout": res.stdout, "stderr": res.stderr[-2000:]}


def texts(doc):
    return [[o.get("text") for o in resp] for resp in doc.get("outputs", [])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep-logs", default="")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="interop-selftest-")
    c = Checks()
    api = runner = None
    try:
        log = os.path.join(tmp, "dialogue.jsonl")
        api_out = open(os.path.join(tmp, "fake_api.out"), "w+")
        api = start([os.path.join(HERE, "fake_api.py"), "--port", "0", "--pat", PAT, "--log", log,
                     "--idle-seconds", "3", "--max-seconds", "120"],
                    api_out, open(os.path.join(tmp, "fake_api.err"), "w"))
        port = None
        for _ in range(100):
            api_out.seek(0)
            line = api_out.read()
            if "LISTENING" in line:
                port = int(line.split()[1])
                break
            time.sleep(0.1)
        c.check("fake api listens", port is not None)
        if port is None:
            return c

        runner = start([os.path.join(HERE, "official_runner.py"), "--port", str(port), "--pat", PAT,
                        "--user-id", "u1", "--compute-cluster-id", "cc1", "--nodepool-id", "np1",
                        "--runner-id", "r1", "--num-parallel-polls", "2"],
                       open(os.path.join(tmp, "runner.out"), "w"),
                       open(os.path.join(tmp, "runner.err"), "w"))

        d = client(port, "predict", "--text", "hello", "--text", "wide world")
        c.check("predict plain", d.get("status_code") == 10000 and texts(d) == [["HELLO", "WIDE WORLD"]], d)
        d = client(port, "generate", "--text", "one two  three")
        c.check("generate plain", texts(d) == [["ONE"], ["TWO"], ["THREE"]], d)
        d = client(port, "stream", "--text", "a1", "--text", "b2", "--text", "c3")
        c.check("stream plain", texts(d) == [["A1"], ["B2"], ["C3"]], d)
        d = client(port, "predict", "--sdk-encoding", "--text", "hello")
        c.check("predict sdk-encoding", texts(d) == [["HELLO"]], d)
        d = client(port, "generate", "--sdk-encoding", "--text", "x y")
        c.check("generate sdk-encoding", texts(d) == [["X"], ["Y"]], d)
        d = client(port, "stream", "--sdk-encoding", "--text", "a1", "--text", "b2")
        c.check("stream sdk-encoding", texts(d) == [["A1"], ["B2"]], d)
        d = client(port, "predict", "--text", "raise:boom")
        c.check("predict error", d.get("status_code") == 10020 and d["responses"][0].get("details") == "boom", d)
        d = client(port, "stream", "--text", "ok", "--text", "raise:boom", "--text", "never")
        c.check("stream error midway", texts(d) == [["OK"], []] and d.get("status_code") == 10020, d)
        d = client(port, "predict", "--text", "x", "--pat", "wrong")
        c.check("bad key", d.get("status_code") == 11008, d)

        time.sleep(4)  # let an idle work stream get RUNNER_NEEDS_RETRY and come back
        d = client(port, "predict", "--text", "after idle")
        c.check("predict after idle retry", texts(d) == [["AFTER IDLE"]], d)

        try:
            import psutil
            listening = [x for x in psutil.Process(runner.pid).net_connections(kind="tcp")
                         if x.status == psutil.CONN_LISTEN]
            c.check("runner opens no listening port", not listening, listening)
        except Exception as e:  # noqa: BLE001
            c.check("runner opens no listening port", False, repr(e))

        t0 = time.monotonic()
        rc = stop(runner)
        c.check("runner exits 0 on SIGTERM", rc == 0, "rc=%r after %.1fs" % (rc, time.monotonic() - t0))

        events = [json.loads(x) for x in open(log)]
        hs = [e for e in events if e["event"] == "handshake"]
        control = [e for e in hs if e["msg"].get("runner_id") == "control-r1"]
        work = [e for e in hs if e["msg"].get("runner_id") == "r1"]
        c.check("control handshake", bool(control) and control[0]["msg"]["status"] == {
            "code": "RUNNER_STREAM_START", "description": "Control connection"}
            and control[0]["request_id"].startswith("runner-control-"), control[:1])
        c.check("work handshakes", len(work) >= 2 and all(
            e["msg"]["status"] == {"code": "RUNNER_STREAM_START", "description": "Success"}
            and e["msg"].get("compute_cluster_id") == "cc1" and e["msg"].get("nodepool_id") == "np1"
            and e["msg"].get("user_app_id") == {"user_id": "u1"} and e["msg"].get("runner_replica_id")
            for e in work), work[:1])
        answers = [e for e in events if e["event"] == "answer"]
        c.check("answers carry ids and SUCCESS", bool(answers) and all(
            e["msg"].get("runner_item_id") == e["item_id"] and e["msg"]["status"]["code"] == "SUCCESS"
            and e["msg"].get("runner_id") == "r1" for e in answers), answers[:1])
    finally:
        for p in (runner, api):
            if p is not None:
                stop(p)
        if args.keep_logs:
            shutil.copytree(tmp, args.keep_logs, dirs_exist_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return c


if __name__ == "__main__":
    res = main()
    print("%d passed, %d failed" % (res.passed, res.failed))
    sys.exit(1 if res.failed else 0)
