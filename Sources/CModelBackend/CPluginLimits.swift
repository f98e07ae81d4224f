/// Limits the host applies to a native plugin, on top of the plugin's own threading contract.
public struct CPluginLimits: Sendable, Equatable {
    /// The largest single output the plugin may emit, in bytes (text, media, concepts, embedding and
    /// proto together). A larger output fails its call. Plugins see it as `max_output_bytes`.
    public var maxOutputBytes: Int
    /// The most instances the host creates, whatever the plugin allows.
    public var maxInstances: Int
    /// The most threads the host dedicates to one instance; this caps a plugin that declares
    /// unlimited per-instance concurrency.
    public var maxThreadsPerInstance: Int
    /// How many outputs of a generate or stream call may wait for a slow caller before the
    /// plugin's `emit` blocks.
    public var outputBufferCapacity: Int
    /// The stack size of each plugin thread, in bytes. Native inference code often needs more
    /// than the platform's default for secondary threads.
    public var threadStackSize: Int

    /// Creates limits; the defaults suit a small server.
    public init(
        maxOutputBytes: Int = 64 << 20,
        maxInstances: Int = 8,
        maxThreadsPerInstance: Int = 8,
        outputBufferCapacity: Int = 16,
        threadStackSize: Int = 8 << 20
    ) {
        self.maxOutputBytes = maxOutputBytes
        self.maxInstances = maxInstances
        self.maxThreadsPerInstance = maxThreadsPerInstance
        self.outputBufferCapacity = outputBufferCapacity
        self.threadStackSize = threadStackSize
    }
}
