#!/usr/bin/env python3
"""A tiny stand-in for the local Clarifai API, for debugging the Python interop scripts without the
Swift side. It is not the product: it serves ProcessRunnerItems as docs/wire-dialogue.md describes,
and PostModelOutputs / GenerateModelOutputs / StreamModelOutputs by handing each call to a runner.

    fake_api.py --port P [--pat K] [--idle-seconds 20] [--log FILE] [--max-seconds 600]

Listens on 127.0.0.1 only. Prints "LISTENING <port>" on stdout once it accepts calls (use --port 0
for a free port). --log appends one JSON line per runner message seen (handshakes, answers) so a
test can check the dialogue. Stops on SIGTERM/SIGINT, or after --max-seconds.
"""

import argparse
import itertools
import json
import queue
import signal
import sys
import threading
import time
from concurrent import futures

import grpc
from clarifai_grpc.grpc.api import service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2, status_pb2
from google.protobuf import json_format

_END = object()  # end of a caller's input, or of a runner's answers

UNARY, GENERATE, STREAM = 1, 2, 4  # processing_info.runner_method_type


class Job:
    def __init__(self, item_id, method_type, request):
        self.id = item_id
        self.method_type = method_type
        self.request = request
        self.more_inputs = queue.Queue()  # further caller requests (stream mode), then _END
        self.answers = queue.Queue()  # MultiOutputResponse..., then _END
        self.cancelled = threading.Event()


class FakeAPI(service_pb2_grpc.V2Servicer):
    def __init__(self, pat, idle_seconds, log_path):
        self.pat = pat
        self.idle_seconds = idle_seconds
        self.jobs = queue.Queue()
        self.ids = itertools.count(1)
        self.log_lock = threading.Lock()
        self.log_file = open(log_path, "a", buffering=1) if log_path else None
        self.stopping = threading.Event()

    # -- helpers ---------------------------------------------------------------------------------

    def log(self, event, **fields):
        line = json.dumps({"t": round(time.time(), 3), "event": event, **fields})
        with self.log_lock:
            print(line, file=sys.stderr, flush=True)
            if self.log_file:
                self.log_file.write(line + "\n")

    def authorized(self, context):
        if not self.pat:
            return True
        md = dict(context.invocation_metadata())
        return md.get("authorization") == "Key " + self.pat

    @staticmethod
    def status(code, description=""):
        return status_pb2.Status(code=code, description=description)

    # -- the runner side -------------------------------------------------------------------------

    def ProcessRunnerItems(self, request_iterator, context):
        md = dict(context.invocation_metadata())
        if not self.authorized(context):
            yield service_pb2.MultiRunnerItemResponse(
                status=self.status(status_code_pb2.CONN_KEY_INVALID, "bad key"))
            return
        try:
            hello = next(request_iterator)
        except StopIteration:
            return
        self.log("handshake", request_id=md.get("x-request-id", ""),
                 msg=json_format.MessageToDict(hello, preserving_proto_field_name=True))
        if hello.runner_id.startswith("control-"):
            # The control stream only listens. Keep it open until the runner or we go away.
            while context.is_active() and not self.stopping.wait(0.5):
                pass
            return

        deadline = time.monotonic() + self.idle_seconds
        job = None
        while job is None:
            if not context.is_active() or self.stopping.is_set():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                self.log("idle_retry", request_id=md.get("x-request-id", ""))
                yield service_pb2.MultiRunnerItemResponse(
                    status=self.status(status_code_pb2.RUNNER_NEEDS_RETRY, "no work"))
                return
            try:
                job = self.jobs.get(timeout=min(left, 0.2))
            except queue.Empty:
                pass
            if job is not None and job.cancelled.is_set():
                job = None

        # Read the runner's answers in the background; the half-close ends them.
        def read_answers():
            try:
                for msg in request_iterator:
                    self.log("answer", item_id=msg.runner_item_id,
                             msg=json_format.MessageToDict(msg, preserving_proto_field_name=True))
                    for out in msg.runner_item_outputs:
                        job.answers.put((msg.status, out.multi_output_response))
            except grpc.RpcError as e:  # stream cancelled
                self.log("answer_stream_error", item_id=job.id, error=str(e))
            finally:
                self.log("half_close", item_id=job.id)
                job.answers.put(_END)

        reader = threading.Thread(target=read_answers, daemon=True)
        reader.start()

        item = service_pb2.RunnerItem(id=job.id, post_model_outputs_request=job.request)
        item.processing_info.runner_method_type = job.method_type
        self.log("send_item", item_id=job.id, method_type=job.method_type)
        # The official runner drops (and backs off on) an item whose response status is not SUCCESS.
        yield service_pb2.MultiRunnerItemResponse(
            status=self.status(status_code_pb2.SUCCESS, "Ok"), runner_items=[item])

        if job.method_type == STREAM:
            while True:
                nxt = job.more_inputs.get()
                if nxt is _END:
                    self.log("send_stream_end", item_id=job.id)
                    yield service_pb2.MultiRunnerItemResponse(
                        status=self.status(status_code_pb2.RUNNER_STREAM_END, "end of input"))
                    break
                more = service_pb2.RunnerItem(id=job.id, post_model_outputs_request=nxt)
                more.processing_info.runner_method_type = STREAM
                self.log("send_item", item_id=job.id, method_type=STREAM)
                yield service_pb2.MultiRunnerItemResponse(
                    status=self.status(status_code_pb2.SUCCESS, "Ok"), runner_items=[more])

        # Hold the call open until the runner half-closes (or the call dies), then end it.
        while reader.is_alive() and context.is_active():
            reader.join(0.2)

    # -- the caller side -------------------------------------------------------------------------

    def _submit(self, method_type, request):
        job = Job("item-%d" % next(self.ids), method_type, request)
        self.jobs.put(job)
        return job

    def _answers(self, job, context, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            try:
                got = job.answers.get(timeout=0.2)
            except queue.Empty:
                if not context.is_active():
                    job.cancelled.set()
                    return
                if time.monotonic() > deadline:
                    yield service_pb2.MultiOutputResponse(
                        status=self.status(status_code_pb2.FAILURE, "fake api: runner timed out"))
                    return
                continue
            if got is _END:
                return
            outer, resp = got
            if outer.code not in (0, status_code_pb2.SUCCESS):
                resp = service_pb2.MultiOutputResponse()
                resp.status.CopyFrom(outer)
            yield resp

    def PostModelOutputs(self, request, context):
        if not self.authorized(context):
            return service_pb2.MultiOutputResponse(
                status=self.status(status_code_pb2.CONN_KEY_INVALID, "bad key"))
        answers = list(self._answers(self._submit(UNARY, request), context))
        if not answers:
            return service_pb2.MultiOutputResponse(
                status=self.status(status_code_pb2.FAILURE, "fake api: no answer"))
        return answers[0]

    def GenerateModelOutputs(self, request, context):
        if not self.authorized(context):
            yield service_pb2.MultiOutputResponse(
                status=self.status(status_code_pb2.CONN_KEY_INVALID, "bad key"))
            return
        yield from self._answers(self._submit(GENERATE, request), context)

    def StreamModelOutputs(self, request_iterator, context):
        if not self.authorized(context):
            yield service_pb2.MultiOutputResponse(
                status=self.status(status_code_pb2.CONN_KEY_INVALID, "bad key"))
            return
        try:
            first = next(request_iterator)
        except StopIteration:
            return
        job = self._submit(STREAM, first)

        def feed():
            try:
                for req in request_iterator:
                    job.more_inputs.put(req)
            except grpc.RpcError:
                pass
            finally:
                job.more_inputs.put(_END)

        threading.Thread(target=feed, daemon=True).start()
        yield from self._answers(job, context)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--pat", default="")
    ap.add_argument("--idle-seconds", type=float, default=20.0)
    ap.add_argument("--log", default="")
    ap.add_argument("--max-seconds", type=float, default=600.0)
    args = ap.parse_args()

    api = FakeAPI(args.pat, args.idle_seconds, args.log)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=64))
    service_pb2_grpc.add_V2Servicer_to_server(api, server)
    port = server.add_insecure_port("127.0.0.1:%d" % args.port)
    server.start()
    print("LISTENING %d" % port, flush=True)

    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait(args.max_seconds)
    api.stopping.set()
    server.stop(grace=1).wait(5)


if __name__ == "__main__":
    main()
