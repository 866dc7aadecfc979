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

    /// A day as officials write it (2025年12月20日); text that is not a day stays as it is.
    static func day(_ text: String) -> String { CalendarDate(text)?.chineseDescription ?? text }

    /// A moment typed in a form (`2026-12-10T09:30`, as a datetime-local field sends it), read as China's time.
    static func chinaTime(_ text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ":").compactMap { Int($0) }
        guard clock.count >= 2, (0..<24).contains(clock[0]), (0..<60).contains(clock[1]) else { return nil }
        return day.startOfDayInChina.addingTimeInterval(TimeInterval(clock[0] * 3600 + clock[1] * 60))
    }
}
