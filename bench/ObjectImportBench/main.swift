import BenchSupport
// Object directory at province scale: import N generated objects from CSV through COPY (rows/s, peak memory, at
// two file sizes to show memory stays flat), then filtered first-page searches (p50/p95).
// Usage: bench/objects.sh [rows, default 1000000]; EXPLAIN=1 also prints the plan of each search shape.
import Foundation
import Logging
import PostgresNIO
import YiyeCore
import YiyeStore

let logger: Logger = {
    var logger = Logger(label: "object-bench")
    logger.logLevel = .warning
    return logger
}()
let rows = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 1_000_000

/// Writes `count` objects: risk mix about A 50%, B 30%, C 15%, D 5%, across 30 regions and the demo industries.
func writeCSV(count: Int, to url: URL) throws {
    FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var text = "统一社会信用代码,名称,类型,行业,行政区划代码,地址,规模,信用风险分类,评级日期,监管部门,状态,标签\n"
    let industries = [
        ("fuel_retail", "commerce;samr;fire;eco;emergency"), ("catering", "samr;health;fire"),
        ("drug_retail", "samr;health"), ("hazardous_chemicals", "emergency;fire;samr;eco"),
    ]
    var generator = SystemRandomNumberGenerator()
    for index in 0..<count {
        // Region and industry drawn independently, as in a real directory (a region holds every industry).
        let region = "3301\(String(format: "%02d", 1 + Int.random(in: 0..<30, using: &generator)))"
        let body = "91\(region)" + String(format: "%09d", index)
        let code = body + String(CreditCode.checkCharacter(for: body)!)
        let roll = Int.random(in: 0..<100, using: &generator)
        let risk = roll < 50 ? "A" : roll < 80 ? "B" : roll < 95 ? "C" : "D"
        let (industry, supervisors) = industries[Int.random(in: 0..<industries.count, using: &generator)]
        text += "\(code),示范企业\(index)号,企业,\(industry),\(region),示范路\(index)号,小型,\(risk),2026-01-15,\(supervisors),存续,\n"
        if text.utf8.count > 1 << 20 {
            handle.write(Data(text.utf8))
            text = ""
        }
    }
    handle.write(Data(text.utf8))
}

func importFile(_ url: URL, client: PostgresClient) async throws -> (ImportReport, Double) {
    guard let handle = FileHandle(forReadingAtPath: url.path) else { fatalError("cannot read \(url.path)") }
    let chunks = AsyncThrowingStream<[UInt8], any Error> {
        let data = handle.readData(ofLength: 1 << 20)
        return data.isEmpty ? nil : Array(data)
    }
    let start = ContinuousClock.now
    let report = try await ObjectRepository(client: client, logger: logger).importCSV(
        chunks, audit: AuditRecord.Entry(actor: "bench", action: "object.import")
    )
    return (report, (ContinuousClock.now - start) / .seconds(1))
}

let scratch = try await ScratchCluster(name: "object-bench", logger: logger)
defer { scratch.remove() }

let small = scratch.directory.appendingPathComponent("small.csv")
let large = scratch.directory.appendingPathComponent("large.csv")
try writeCSV(count: rows / 10, to: small)
try writeCSV(count: rows, to: large)
print("object import through COPY, durable cluster; peak memory is the process's resident maximum so far")

try await withTemporaryClient(scratch.application, logger: logger) { client in
    for (label, file) in [("\(rows / 10) rows", small), ("\(rows) rows", large)] {
        let (report, seconds) = try await importFile(file, client: client)
        print(
            String(
                format: "%@: %.1f s, %.0f rows/s (inserted %d, updated %d, rejected %d), peak memory %.0f MiB",
                label, seconds, Double(report.rows) / seconds, report.inserted, report.updated, report.rejected, peakMemoryMiB()))
    }
    // As the owner: the application role may not ANALYZE, and a skipped ANALYZE leaves the planner guessing.
    try await withTemporaryClient(scratch.owner, logger: logger) { owner in _ = try await owner.query("ANALYZE objects") }

    let repository = ObjectRepository(client: client, logger: logger)
    let industries = ["fuel_retail", "catering", "drug_retail", "hazardous_chemicals"]
    var latencies: [Double] = []
    for index in 0..<200 {
        var search = ObjectRepository.Search(industry: industries[index % 4], region: "3301\(String(format: "%02d", 1 + index % 30))")
        if index % 2 == 0 { search.riskClass = ["A", "B", "C", "D"][index % 4] }
        if index % 5 == 0 { search.name = "示范企业\(index * 37)" }
        let department: DepartmentCode? = index % 3 == 0 ? "samr" : nil
        let start = ContinuousClock.now
        _ = try await repository.search(search, visibleTo: department, after: nil, limit: 51)
        latencies.append((ContinuousClock.now - start) / .milliseconds(1))
    }
    latencies.sort()
    if ProcessInfo.processInfo.environment["EXPLAIN"] != nil {
        // The plans behind the figures: one search of each shape the loop above runs.
        for (label, search, department) in [
            ("industry + region", ObjectRepository.Search(industry: "catering", region: "330107"), nil),
            ("industry + region + risk D", ObjectRepository.Search(industry: "catering", region: "330107", riskClass: "D"), nil),
            ("industry + region + name", ObjectRepository.Search(industry: "catering", region: "330107", name: "示范企业1850"), nil),
            ("industry + region, as samr", ObjectRepository.Search(industry: "catering", region: "330107"), "samr"),
        ] as [(String, ObjectRepository.Search, DepartmentCode?)] {
            print("-- \(label)\n" + (try await repository.explain(search, visibleTo: department, limit: 51)))
        }
    }
    print(
        String(
            format: "search, filtered first page of 50 on %d objects: p50 %.1f ms, p95 %.1f ms, max %.1f ms",
            rows + rows / 10, latencies[latencies.count / 2], latencies[latencies.count * 95 / 100], latencies.last!))
}
