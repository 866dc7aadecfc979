import ArgumentParser

/// `yiye`: the joint-inspection server and its administration commands.
@main
struct Yiye: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yiye",
        abstract: "一业一查联合监管平台：双随机、一公开联合抽查服务",
        subcommands: [
            Serve.self, Migrate.self, UserCommand.self, AuditCommand.self, ImportCommand.self, DrawCommand.self, BackupCommand.self,
            RestoreCommand.self, KeysCommand.self,
        ]
    )
}
