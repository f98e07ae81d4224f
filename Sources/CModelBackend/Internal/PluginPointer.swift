/// A plugin-owned handle (`clarifai_model *`, `clarifai_instance *`, `clarifai_session *`) carried
/// between tasks and plugin threads.
///
/// The host never dereferences it; whether concurrent use is safe is the plugin's declared
/// threading contract, which ``InstanceLane`` enforces. Hence the unchecked conformance.
struct PluginPointer: @unchecked Sendable {
    var raw: OpaquePointer?
}
