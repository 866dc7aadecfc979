import NIOCore
import PostgresNIO
import YiyeCore

// A typed id is stored as its number (bigint): bound and read like an Int64, alone or in a bigint[] column.
extension Identifier: PostgresNonThrowingEncodable, PostgresArrayEncodable, PostgresDecodable, PostgresArrayDecodable {
    public static var psqlType: PostgresDataType { Int64.psqlType }
    public static var psqlFormat: PostgresFormat { Int64.psqlFormat }
    public static var psqlArrayType: PostgresDataType { Int64.psqlArrayType }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(rawValue: try Int64(from: &buffer, type: type, format: format, context: context))
    }
}
