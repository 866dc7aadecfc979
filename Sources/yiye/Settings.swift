import ArgumentParser
import Configuration

/// Settings read flags first, then environment variables, then the caller's defaults
/// (a key `yiye.data.dir` is the environment variable `YIYE_DATA_DIR`).
struct Settings {
    private let reader: ConfigReader

    /// `flags` maps dotted keys to the values given on the command line (nil when the flag was not given).
    init(flags: [String: String?]) {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags {
            if let value {
                values[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(
                    .string(value), isSecret: key.contains("url") || key.contains("password") || key.contains("token"))
            }
        }
        reader = ConfigReader(providers: [InMemoryProvider(name: "flags", values: values), EnvironmentVariablesProvider()])
    }

    func string(_ key: String) -> String? {
        reader.string(forKey: ConfigKey(key.split(separator: ".").map(String.init)))
    }

    func string(_ key: String, default value: String) -> String {
        string(key) ?? value
    }

    /// A whole number above zero, or a clear refusal naming the setting.
    func positiveInt(_ key: String, default value: Int) throws -> Int {
        guard let text = string(key) else { return value }
        guard let number = Int(text), number > 0 else {
            throw ValidationError("\(key) must be a whole number above zero")
        }
        return number
    }
}
