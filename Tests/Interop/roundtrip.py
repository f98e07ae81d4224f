#!/usr/bin/env python3
"""Round-trips one serialized protobuf message through the OFFICIAL Python classes (clarifai-grpc).

    roundtrip.py TYPE < message.bin

TYPE is a message of package clarifai.api, e.g. RunnerItem, PostRunnerItemOutputsRequest,
MultiOutputResponse, MultiRunnerItemResponse (any message of service_pb2 or resources_pb2 works;
a fully qualified name such as clarifai.api.RunnerItem is accepted too).

Writes one JSON object to stdout:
  {"binary_b64": base64(msg.SerializeToString(deterministic=True)),
   "json": json_format.MessageToJson(msg, preserving_proto_field_name=True)}
Exit codes: 0 ok, 2 unknown TYPE or bad usage, 3 the input does not parse as TYPE (the error is
printed to stderr).
"""

import base64
import json
import sys

from clarifai_grpc.grpc.api import resources_pb2, service_pb2
from google.protobuf import json_format
from google.protobuf.message import DecodeError


def message_class(name):
    if name.startswith("clarifai.api."):
        name = name[len("clarifai.api."):]
    for module in (service_pb2, resources_pb2):
        cls = getattr(module, name, None)
        if cls is not None and hasattr(cls, "DESCRIPTOR") and hasattr(cls, "FromString"):
            return cls
    return None


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    cls = message_class(argv[1])
    if cls is None:
        sys.stderr.write("roundtrip.py: unknown message type clarifai.api.%s\n" % argv[1])
        return 2
    data = sys.stdin.buffer.read()
    msg = cls()
    try:
        msg.ParseFromString(data)
    except DecodeError as e:
        sys.stderr.write("roundtrip.py: cannot parse %d bytes as %s: %s\n" % (len(data), argv[1], e))
        return 3
    out = {
        "binary_b64": base64.b64encode(msg.SerializeToString(deterministic=True)).decode("ascii"),
        "json": json_format.MessageToJson(msg, preserving_proto_field_name=True),
    }
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
