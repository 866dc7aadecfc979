import ArgumentParser
import Foundation
import YiyeStore

/// `yiye keys`: the personal-data master key.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the master key of the personal data sealed with SM4.", subcommands: [Rotate.self])

    /// `yiye keys rotate`: a new master key; the data keys rewrapped under it; the old one gone from the file.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the personal-data master key and rewrap the data keys under it; running servers go on as they are.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = commandLogger("yiye.keys")
            try await reportingFailures {
                let rotation = try await database.withOwnerURL(logger: logger, runningServerAllowed: true) { url in
                    try await withTemporaryClient(url.configuration, logger: logger) { owner in
                        try await PersonalDataMaintenance.rotate(owner: owner, keyFile: database.personalDataKeyURL(), logger: logger)
                    }
                }
                print("个人信息主密钥已轮换：\(rotation.previous) → \(rotation.current)；重新封装数据密钥 \(rotation.rewrapped) 个")
                print("旧主密钥已从 \(database.personalDataKeyURL().path) 中删除；此前的备份仍需旧主密钥，请一并妥善保管")
            }
        }
    }
}
