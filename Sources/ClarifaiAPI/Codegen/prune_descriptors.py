#!/usr/bin/env python3
"""Writes a pruned FileDescriptorSet for the Clarifai V2 methods a runner needs.

Reads the descriptors compiled into the installed clarifai-grpc wheel, keeps the
V2 methods listed in KEPT_METHODS and every message or enum type reachable from
them (fields, nested types, and the types of custom options), and drops the rest.
The output is deterministic: the same wheel always gives the same bytes.
"""
import sys

from clarifai_grpc.grpc.api import service_pb2
from google.protobuf import descriptor_pb2

KEPT_METHODS = [
    "PostModelOutputs", "GenerateModelOutputs", "StreamModelOutputs",
    "ListRunnerItems", "PostRunnerItemOutputs", "ProcessRunnerItems",
    "PostRunners", "GetRunner", "ListRunners", "PatchRunners", "DeleteRunners",
    "PostRunnerReplicaTaskMetrics",
]
# Referenced only from option extensions; protoc rejects the set without them.
OPTION_TYPES = [".clarifai.auth.scope.S", ".clarifai.auth.types.AuthType"]
# Files the generator must not emit: swift-protobuf ships the well-known types,
# and google.api is used only by HTTP annotations the Swift code never reads.
NOT_GENERATED_PREFIXES = ("google/",)


def load_files():
    files = {}

    def walk(fd):
        if fd.name in files:
            return
        for dep in fd.dependencies:
            walk(dep)
        proto = descriptor_pb2.FileDescriptorProto()
        fd.CopyToProto(proto)
        files[fd.name] = proto

    walk(service_pb2.DESCRIPTOR)
    return files  # dependency order


def index_types(files):
    """Maps each fully qualified type name to its descriptor proto."""
    index = {}

    def add(prefix, messages, enums):
        for enum in enums:
            index[f"{prefix}.{enum.name}"] = enum
        for message in messages:
            name = f"{prefix}.{message.name}"
            index[name] = message
            add(name, message.nested_type, message.enum_type)

    for proto in files.values():
        prefix = f".{proto.package}" if proto.package else ""
        add(prefix, proto.message_type, proto.enum_type)
    return index


def reachable(index, roots):
    kept, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        kept.add(name)
        node = index[name]
        if isinstance(node, descriptor_pb2.DescriptorProto):
            for field in node.field:
                if field.type_name:
                    todo.append(field.type_name)
            for nested in node.nested_type:
                todo.append(f"{name}.{nested.name}")
            for enum in node.enum_type:
                todo.append(f"{name}.{enum.name}")
    return kept


def prune(files, kept):
    for proto in files.values():
        prefix = f".{proto.package}" if proto.package else ""
        if proto.name.startswith(NOT_GENERATED_PREFIXES):
            continue
        messages = [m for m in proto.message_type if f"{prefix}.{m.name}" in kept]
        enums = [e for e in proto.enum_type if f"{prefix}.{e.name}" in kept]
        del proto.message_type[:]
        proto.message_type.extend(messages)
        del proto.enum_type[:]
        proto.enum_type.extend(enums)
        for service in proto.service:
            methods = [m for m in service.method if m.name in KEPT_METHODS]
            del service.method[:]
            service.method.extend(methods)


def main(out_path, list_path):
    files = load_files()
    index = index_types(files)
    service = files["proto/clarifai/api/service.proto"].service[0]
    methods = {m.name: m for m in service.method}
    missing = [m for m in KEPT_METHODS if m not in methods]
    if missing:
        sys.exit(f"clarifai-grpc no longer has these V2 methods: {missing}")
    roots = list(OPTION_TYPES)
    for name in KEPT_METHODS:
        roots += [methods[name].input_type, methods[name].output_type]
    # Every extension's own type (for example an option's message) must stay too.
    for proto in files.values():
        for ext in proto.extension:
            if ext.type_name:
                roots.append(ext.type_name)
    kept = reachable(index, roots)
    prune(files, kept)

    out = descriptor_pb2.FileDescriptorSet()
    out.file.extend(files.values())
    with open(out_path, "wb") as f:
        f.write(out.SerializeToString(deterministic=True))
    generated = [
        p.name for p in files.values()
        if not p.name.startswith(NOT_GENERATED_PREFIXES)
        and (p.message_type or p.enum_type or p.extension or p.service)
    ]
    with open(list_path, "w") as f:
        f.write("\n".join(generated) + "\n")
    clarifai_types = [n for n in kept if n.startswith(".clarifai")]
    print(f"kept {len(clarifai_types)} of {sum(1 for n in index if n.startswith('.clarifai'))} "
          f"Clarifai types, {len(KEPT_METHODS)} V2 methods", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
