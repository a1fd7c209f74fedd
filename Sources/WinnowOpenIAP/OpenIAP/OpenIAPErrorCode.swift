/// The `code` of the ErrorResponses the hub sends (HTTP-like, so a reader knows them at sight).
package enum OpenIAPErrorCode: Int32, Sendable {
  /// The request's `data` could not be read, or a watch path is not a valid filter.
  case badRequest = 400
  /// The command needs a signed-in connection, or the credentials are not known.
  case unauthorized = 401
  /// The signed-in principal lacks the right the command needs.
  case forbidden = 403
  /// `unwatch` of a watch id the connection does not hold.
  case notFound = 404
  /// A limit of the connection was reached (the number of watches).
  case limitExceeded = 429
  /// A command the hub does not implement.
  case unknownCommand = 501
}
