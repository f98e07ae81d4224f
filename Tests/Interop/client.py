#!/usr/bin/env python3
"""Calls a Clarifai API on 127.0.0.1 with the OFFICIAL Python gRPC client (clarifai-grpc).

    client.py predict  --port P --pat K --model-id M --text T [--text T2 ...]
    client.py embed    --port P --pat K --model-id M --text T [--text T2 ...]
    client.py generate --port P --pat K --model-id M --text T
    client.py stream   --port P --pat K --model-id M --text T1 --text T2 ...
    client.py runner {post,list,get,delete} --port P --pat K --user-id U --nodepool-id N
                     --compute-cluster-id C [--runner-id R] [--model-id M ...]

Common options: --user-id, --app-id, --version-id (model selection), --timeout (seconds, default 30),
--sdk-encoding (name the method in inputs[].data.metadata._method_name and carry the text as
data.parts[id=text], as the clarifai SDK's model client does), --stream-gap-ms (pause between
stream messages).

Prints exactly ONE JSON line on stdout:
  {"status_code": int, "status_description": str,
   "outputs": [[{"text": str, "status_code": int, "status_description": str,
                 "concepts": [{"id","name","value"}], "embedding": [float]}, ...] per response],
   "responses": [{"status_code": int, "status_description": str}, ...]}
status_code/status_description are those of the last response (unary: the only one). A gRPC
transport error gives {"grpc_error": "<code name>", "grpc_details": str, ...} with whatever arrived
before it, and exit code 2. Otherwise the exit code is 0 (whatever the Clarifai status).
"""

import argparse
import json
import sys
import time

from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2  # noqa: F401 (handy in a debugger)

import grpc


def make_input(text, method, sdk_encoding):
    inp = resources_pb2.Input()
    if sdk_encoding:
        part = inp.data.parts.add()
        part.id = "text"
        part.data.text.raw = text
        inp.data.metadata["_method_name"] = method
    else:
        inp.data.text.raw = text
    return inp


def make_request(args, texts, method):
    req = service_pb2.PostModelOutputsRequest(model_id=args.model_id)
    if args.user_id:
        req.user_app_id.user_id = args.user_id
    if args.app_id:
        req.user_app_id.app_id = args.app_id
    if args.version_id:
        req.version_id = args.version_id
    req.inputs.extend(make_input(t, method, args.sdk_encoding) for t in texts)
    return req


def output_text(data):
    if data.HasField("text"):
        return data.text.raw
    if data.string_value:
        return data.string_value
    for part in data.parts:  # SDK encoding: the result is the part named "return"
        if part.id == "return":
            return output_text(part.data)
    return None


def describe_output(out):
    d = {
        "text": output_text(out.data),
        "status_code": out.status.code,
        "status_description": out.status.description,
        "concepts": [{"id": c.id, "name": c.name, "value": c.value} for c in out.data.concepts],
        "embedding": list(out.data.embeddings[0].vector) if out.data.embeddings else [],
    }
    if out.id:
        d["id"] = out.id
    if out.input.id:
        d["input_id"] = out.input.id
    return d


class Result:
    def __init__(self):
        self.responses = []

    def add(self, resp):
        self.responses.append(resp)

    def to_json(self, error=None):
        last = self.responses[-1] if self.responses else None
        doc = {
            "status_code": last.status.code if last else 0,
            "status_description": last.status.description if last else "",
            "outputs": [[describe_output(o) for o in r.outputs] for r in self.responses],
            "responses": [{"status_code": r.status.code, "status_description": r.status.description,
                           **({"details": r.status.details} if r.status.details else {})}
                          for r in self.responses],
        }
        if error is not None:
            doc["grpc_error"] = error.code().name if hasattr(error, "code") else "UNKNOWN"
            doc["grpc_details"] = error.details() if hasattr(error, "details") else str(error)
        return doc


def run_model_call(args, stub, metadata):
    result = Result()
    texts = args.text or []
    try:
        if args.command in ("predict", "embed"):
            resp = stub.PostModelOutputs(make_request(args, texts, "predict"),
                                         metadata=metadata, timeout=args.timeout)
            result.add(resp)
        elif args.command == "generate":
            if len(texts) != 1:
                raise SystemExit("generate takes exactly one --text")
            for resp in stub.GenerateModelOutputs(make_request(args, texts, "generate"),
                                                  metadata=metadata, timeout=args.timeout):
                result.add(resp)
        elif args.command == "stream":
            if not texts:
                raise SystemExit("stream needs at least one --text")

            def requests():
                for i, t in enumerate(texts):
                    if i and args.stream_gap_ms:
                        time.sleep(args.stream_gap_ms / 1000.0)
                    yield make_request(args, [t], "stream")

            for resp in stub.StreamModelOutputs(requests(), metadata=metadata, timeout=args.timeout):
                result.add(resp)
    except grpc.RpcError as e:
        return result.to_json(error=e), 2
    return result.to_json(), 0


def run_runner_admin(args, stub, metadata):
    def common(req):
        req.user_app_id.user_id = args.user_id
        req.nodepool_id = args.nodepool_id
        req.compute_cluster_id = args.compute_cluster_id
        return req

    def runner_json(r):
        return {
            "id": r.id,
            "description": r.description,
            "model_id": r.worker.model.id,
            "model_version_id": r.worker.model.model_version.id,
            "num_replicas": r.num_replicas,
        }

    try:
        if args.action == "post":
            runner = resources_pb2.Runner(description=args.description, num_replicas=1)
            if args.runner_id:
                runner.id = args.runner_id
            if args.model_id:
                m = runner.worker.model
                m.id = args.model_id
                m.user_id = args.user_id
                m.app_id = args.app_id or ""
                if args.version_id:
                    m.model_version.id = args.version_id
            resp = stub.PostRunners(common(service_pb2.PostRunnersRequest(runners=[runner])),
                                    metadata=metadata, timeout=args.timeout)
            runners = list(resp.runners)
        elif args.action == "list":
            req = common(service_pb2.ListRunnersRequest())
            if args.version_id:
                req.model_version_ids.append(args.version_id)
            resp = stub.ListRunners(req, metadata=metadata, timeout=args.timeout)
            runners = list(resp.runners)
        elif args.action == "get":
            req = common(service_pb2.GetRunnerRequest(runner_id=args.runner_id))
            resp = stub.GetRunner(req, metadata=metadata, timeout=args.timeout)
            runners = [resp.runner] if resp.HasField("runner") else []
        elif args.action == "delete":
            req = common(service_pb2.DeleteRunnersRequest(ids=[args.runner_id]))
            resp = stub.DeleteRunners(req, metadata=metadata, timeout=args.timeout)
            runners = []
        else:
            raise SystemExit("unknown runner action")
    except grpc.RpcError as e:
        return {"grpc_error": e.code().name, "grpc_details": e.details(), "status_code": 0,
                "status_description": "", "runners": []}, 2
    return {"status_code": resp.status.code, "status_description": resp.status.description,
            "runners": [runner_json(r) for r in runners]}, 0


def main(argv=None):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--port", type=int, required=True)
    common.add_argument("--host", default="127.0.0.1")
    common.add_argument("--pat", required=True)
    common.add_argument("--user-id", default="")
    common.add_argument("--app-id", default="")
    common.add_argument("--model-id", default="")
    common.add_argument("--version-id", default="")
    common.add_argument("--timeout", type=float, default=30.0)

    model_opts = argparse.ArgumentParser(add_help=False)
    model_opts.add_argument("--text", action="append", default=[])
    model_opts.add_argument("--sdk-encoding", action="store_true")
    model_opts.add_argument("--stream-gap-ms", type=float, default=0.0)

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("predict", "embed", "generate", "stream"):
        sub.add_parser(name, parents=[common, model_opts])
    rp = sub.add_parser("runner", parents=[common])
    rp.add_argument("action", choices=["post", "list", "get", "delete"])
    rp.add_argument("--nodepool-id", default="")
    rp.add_argument("--compute-cluster-id", default="")
    rp.add_argument("--runner-id", default="")
    rp.add_argument("--description", default="interop runner")
    args = ap.parse_args(argv)

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("client.py only talks to the loopback interface")

    channel = ClarifaiChannel.get_insecure_grpc_channel(base=args.host, port=args.port)
    stub = service_pb2_grpc.V2Stub(channel)
    metadata = (("authorization", "Key " + args.pat),)

    if args.command == "runner":
        doc, rc = run_runner_admin(args, stub, metadata)
    else:
        doc, rc = run_model_call(args, stub, metadata)
    sys.stdout.write(json.dumps(doc) + "\n")
    sys.stdout.flush()
    channel.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
