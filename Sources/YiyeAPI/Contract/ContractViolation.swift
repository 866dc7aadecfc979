/// Why a request does not meet the spec, in words an official can read, naming the field (`regionCode`,
/// `addressed[2]`, `entries[0].code`) or the parameter.
struct ContractViolation: Error, Sendable, Equatable {
    var field: String
    /// What is wrong, in Chinese, without the field's name (the message adds it).
    var problem: String
    /// The domain rule the value broke (`x-yiye-rule`), when the spec names one: answered 422 with its code.
    var rule: String? = nil

    /// 字段 deadlineWorkingDays 不能小于 1
    var message: String { field.isEmpty ? "请求体\(problem)" : "字段 \(field) \(problem)" }
}
