#!/usr/bin/env python3
"""Runs the OFFICIAL Clarifai Python runner (clarifai 12.5.0 `ModelRunner`, core in the compiled
clarifai-protocol package) against a plaintext local API, with a trivial upper-casing model that
mirrors our built-in `example:upper`:

  predict  -> each input's text, upper-cased
  generate -> the input text split on spaces, one upper-cased word per output
  stream   -> each incoming text, upper-cased

    official_runner.py --port P --pat K --user-id U --compute-cluster-id C --nodepool-id N \
        --runner-id R [--num-parallel-polls 2] [--health-port 0] [--delay-ms 0]

Serves until SIGTERM/SIGINT, then stops the runner and exits 0. The model reads `data.text.raw`
both from plain requests (old format) and from SDK-encoded ones (`parts[id=text]`, with
`metadata._method_name`); see README.md. A text starting with "raise:" makes the model raise
ValueError(rest), to exercise the error path.
"""

import argparse
import os
import signal
import sys
import threading
import time
from typing import Iterator


def build_model(delay_s):
    from clarifai.runners.models.model_class import ModelClass
    from clarifai.runners.utils.data_types import Text

    def check(t):
        if t.text.startswith("raise:"):
            raise ValueError(t.text[len("raise:"):])
        return t.text

    class UpperModel(ModelClass):
        # `Text` (not `str`) so that a plain caller's later stream messages, which carry only
        # data.text.raw and no parts, still deserialize: the SDK converts only the first request of
        # a stream from the "old format", and a `str` argument would then read data.string_value.
        @ModelClass.method
        def predict(self, text: Text) -> Text:
            if delay_s:
                time.sleep(delay_s)
            return Text(check(text).upper())

        @ModelClass.method
        def generate(self, text: Text) -> Iterator[Text]:
            for word in check(text).split(" "):
                if word:
                    if delay_s:
                        time.sleep(delay_s)
                    yield Text(word.upper())

        @ModelClass.method
        def stream(self, text: Iterator[Text]) -> Iterator[Text]:
            for t in text:
                if delay_s:
                    time.sleep(delay_s)
                yield Text(check(t).upper())

    model = UpperModel()
    model.load_model()
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, required=True, help="local API port on 127.0.0.1")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--pat", required=True)
    ap.add_argument("--user-id", required=True)
    ap.add_argument("--compute-cluster-id", required=True)
    ap.add_argument("--nodepool-id", required=True)
    ap.add_argument("--runner-id", required=True)
    ap.add_argument("--num-parallel-polls", type=int, default=2)
    ap.add_argument("--health-port", type=int, default=0,
                    help="health server port (binds all interfaces); 0 = no health server (default)")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="sleep before each output")
    ap.add_argument("--stop-timeout", type=float, default=10.0,
                    help="seconds to wait for the runner to stop after SIGTERM before exiting anyway")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("official_runner.py only talks to the loopback interface")

    # The SDK reads these too (and the runner copies all other env vars into requests): make the
    # command line the only source of truth.
    base_url = "http://%s:%d" % (args.host, args.port)
    os.environ["CLARIFAI_API_BASE"] = base_url
    os.environ["CLARIFAI_PAT"] = args.pat
    os.environ["CLARIFAI_USER_ID"] = args.user_id
    os.environ.pop("CLARIFAI_SESSION_TOKEN", None)
    # Without a secrets path, the SDK copies every non-CLARIFAI* environment variable of this
    # process into each request's output_info.params before the model sees it (inject_secrets).
    # A secrets path that does not exist turns that off; the wire dialogue is unchanged.
    os.environ.setdefault("CLARIFAI_SECRETS_PATH", "/nonexistent/clarifai-interop-secrets")

    # Import order matters: clarifai_protocol imports clarifai.client, which imports the runner
    # module, which imports clarifai_protocol (circular). Importing ModelRunner first works.
    from clarifai.runners.models.model_runner import ModelRunner

    model = build_model(args.delay_ms / 1000.0)
    runner = ModelRunner(
        model=model,
        runner_id=args.runner_id,
        nodepool_id=args.nodepool_id,
        compute_cluster_id=args.compute_cluster_id,
        user_id=args.user_id,
        check_runner_exists=False,
        base_url=base_url,
        pat=args.pat,
        num_parallel_polls=args.num_parallel_polls,
        health_check_port=args.health_port if args.health_port > 0 else None,
    )

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())

    # runner.start() blocks; it runs in a thread so that the main thread owns the signals.
    worker = threading.Thread(target=runner.start, name="official-runner", daemon=True)
    worker.start()
    print("official_runner: started against %s (runner %s, %d polls)" % (
        base_url, args.runner_id, args.num_parallel_polls), file=sys.stderr, flush=True)

    while not stop.wait(0.5):
        if not worker.is_alive():
            print("official_runner: runner loop ended by itself", file=sys.stderr, flush=True)
            sys.stderr.flush()
            os._exit(1)

    print("official_runner: stopping", file=sys.stderr, flush=True)
    try:
        runner.stop()
    except Exception as e:  # noqa: BLE001 - shutdown best effort
        print("official_runner: stop() raised %r" % (e,), file=sys.stderr, flush=True)
    worker.join(args.stop_timeout)
    print("official_runner: stopped%s" % ("" if not worker.is_alive() else " (runner thread still busy)"),
          file=sys.stderr, flush=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Non-daemon threads of the runner (gRPC, executors) must not keep the process alive.
    os._exit(0)


if __name__ == "__main__":
    main()
