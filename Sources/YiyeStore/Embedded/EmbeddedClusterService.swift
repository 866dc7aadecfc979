import ServiceLifecycle

/// Keeps the embedded cluster for the life of the service group and stops it on shutdown.
///
/// Put it first in the group: services shut down in reverse order, so the HTTP server drains and the connection
/// pool closes before the cluster stops.
public struct EmbeddedClusterService: Service {
    let cluster: EmbeddedCluster

    public init(cluster: EmbeddedCluster) {
        self.cluster = cluster
    }

    public func run() async throws {
        // Returns on graceful shutdown, throws on cancellation; either way the cluster stops.
        try? await gracefulShutdown()
        cluster.stop()
    }
}
