import ArgumentParser
import Foundation
import YiyeCore

/// `yiye draw`: check a published joint draw.
struct DrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw", abstract: "Take part in and check joint draws (yiye-draw-v2, and v1 for draws executed before it).",
        subcommands: [Secret.self, Verify.self]
    )

    /// `yiye draw secret`: a department's secret and its commitment, for people without openssl.
    struct Secret: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new draw secret and its SM3 commitment (or the commitment of --secret).",
            discussion: """
                Commit the commitment (POST /api/v1/draws/{id}/commitments) while commitments are taken; keep the \
                secret to yourself and reveal it (POST …/reveals) once they close. The same as: \
                openssl rand -hex 32 > secret.txt; printf %s "$(cat secret.txt)" | openssl dgst -sm3 -r
                """
        )

        @Option(help: "An existing secret (64 lowercase hex characters) to compute the commitment of.")
        var secret: String?

        func validate() throws {
            if let secret {
                do { try JointDraw.validate(secret: secret) } catch { throw ValidationError(error.message) }
            }
        }

        func run() {
            let secret = self.secret ?? JointDraw.newSecret()
            print("随机数（secret，公开阶段提交，此前请妥善保管）：\(secret)")
            print("承诺值（commitment，承诺阶段提交）：\(JointDraw.commitment(for: secret))")
        }
    }

    /// `yiye draw verify`: recompute a draw from its record and pool files, offline; exit 0 when it checks out.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute a draw from its record and pool files and say exactly what differs.",
            discussion: """
                The public part: GET /api/v1/draws/{id}/record and /pool.txt. With --inspectors and --conflicts (the \
                draw's inspector-pool.txt and conflicts.txt) and a full record (GET /api/v1/draws/{id}, its "record"), \
                the teams are recomputed too.
                """
        )

        @Argument(help: "The draw record (JSON).")
        var record: String

        @Argument(help: "The object pool file.")
        var pool: String

        @Option(help: "The inspector pool file.")
        var inspectors: String?

        @Option(help: "The conflict pairs file.")
        var conflicts: String?

        func validate() throws {
            guard (inspectors == nil) == (conflicts == nil) else {
                throw ValidationError("--inspectors and --conflicts go together")
            }
        }

        func run() async throws {
            let recordData = try read(record)
            let drawRecord: DrawRecord
            do {
                drawRecord = try JSONDecoder().decode(DrawRecord.self, from: recordData)
            } catch {
                throw ValidationError("\(record) is not a draw record: \(error)")
            }
            let differences = await DrawVerifier.differences(
                record: drawRecord, objectPoolFile: Array(try read(pool)),
                inspectorFile: try inspectors.map { Array(try read($0)) }, conflictFile: try conflicts.map { Array(try read($0)) }
            )
            print("种子 seed \(drawRecord.seed)")
            print(
                "抽中 \(drawRecord.selected.count) 户，跳过 \(drawRecord.skipped.count) 户；"
                    + (inspectors != nil && drawRecord.teams != nil ? "已复核检查组 \(drawRecord.teams!.count) 个" : "未复核检查组（需人员池文件与完整记录）"))
            guard differences.isEmpty else {
                for difference in differences { print("不一致：\(difference)") }
                throw ExitCode.failure
            }
            print("一致：抽取结果可由公开数据重新计算得出")
        }

        private func read(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            return data
        }
    }
}
