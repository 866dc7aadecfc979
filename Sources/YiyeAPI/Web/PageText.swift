import Foundation
import YiyeCore

/// How the pages write what they show, the way officials read it.
enum PageText {
    /// A moment in China's time: 2025年12月20日 10:00.
    static func time(_ date: Date) -> String {
        let day = CalendarDate(chinaDateOf: date)
        let minutes = Int((date.timeIntervalSince1970 + 8 * 3600).truncatingRemainder(dividingBy: 86_400)) / 60
        return "\(day.chineseDescription) \(String(format: "%02d:%02d", minutes / 60, minutes % 60))"
    }
}
