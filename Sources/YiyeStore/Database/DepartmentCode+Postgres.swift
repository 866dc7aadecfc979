import NIOCore
import PostgresNIO
import YiyeCore

// A department code is stored as its text: bound and read like a String, alone or in a text[] column.
extension DepartmentCode: PostgresNonThrowingEncodable, PostgresArrayEncodable,
    PostgresDecodable, PostgresArrayDecodable
{
    public static var psqlType: PostgresDataType { String.psqlType }
    public static var psqlFormat: PostgresFormat { String.psqlFormat }
    public static var psqlArrayType: PostgresDataType { String.psqlArrayType }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(rawValue: try String(from: &buffer, type: type, format: format, context: context))
    }
}
