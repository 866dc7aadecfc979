import Logging
import OpenAPIRuntime
import PostgresNIO
import Prometheus
import YiyeStore

/// The implementation of the generated `APIProtocol`: thin handlers that decode, call the domain, encode.
/// The operations live in one extension per area.
struct APIHandlers: APIProtocol {
    let client: PostgresClient
    let departments: DepartmentRepository
    let industries: IndustryRepository
    let metrics: PrometheusCollectorRegistry

    init(client: PostgresClient, metrics: PrometheusCollectorRegistry, logger: Logger) {
        self.client = client
        self.departments = DepartmentRepository(client: client, logger: logger)
        self.industries = IndustryRepository(client: client, logger: logger)
        self.metrics = metrics
    }
}
