import Crypto
import Foundation

/// Checks `Authorization: Bearer TOKEN` against the configured token in constant time (both sides
/// hashed first, so neither length nor content leaks through timing).
struct BearerAuth: Sendable {
    let expectedDigest: [UInt8]?

    init(token: String?) {
        expectedDigest = token.map { Array(SHA256.hash(data: Data($0.utf8))) }
    }

    /// Throws 401 unless the header carries the token (or no token is configured).
    func check(_ header: String?) throws {
        guard let expectedDigest else { return }
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw APIError(.unauthorized, "missing bearer token (Authorization: Bearer <FACEJOB_AUTH_TOKEN>)")
        }
        let given = Array(SHA256.hash(data: Data(header.dropFirst(7).utf8)))
        var difference: UInt8 = 0
        for i in 0..<expectedDigest.count { difference |= expectedDigest[i] ^ given[i] }
        guard difference == 0 else { throw APIError(.unauthorized, "wrong bearer token") }
    }
}
