import NIOCore
import PostgresNIO
import YiyeCore

/// A type stored as its raw value: bound and read like it, alone or in an array column (a department code as text, a
/// typed id as bigint).
public protocol StoredAsRawValue: RawRepresentable, PostgresNonThrowingEncodable, PostgresArrayEncodable, PostgresDecodable,
    PostgresArrayDecodable
where RawValue: PostgresNonThrowingEncodable & PostgresArrayEncodable & PostgresDecodable {}

extension StoredAsRawValue {
    public static var psqlType: PostgresDataType { RawValue.psqlType }
    public static var psqlFormat: PostgresFormat { RawValue.psqlFormat }
    public static var psqlArrayType: PostgresDataType { RawValue.psqlArrayType }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard let value = Self(rawValue: try RawValue(from: &buffer, type: type, format: format, context: context)) else {
            throw PostgresDecodingError.Code.failure
        }
        self = value
    }
}

extension DepartmentCode: StoredAsRawValue {}
extension Identifier: StoredAsRawValue {}
