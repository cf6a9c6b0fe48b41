// Package schema types Rabta's records: which schemata exist, which
// properties each has, and what values those properties may hold.
//
// # FollowTheMoney compatibility
//
// The model is that of FollowTheMoney (FtM), the model of Aleph and
// OpenSanctions, so that records can be exchanged with those tools without
// translation tables. Every record is a schema name plus a map of property
// names to lists of strings. Where FtM has a schema or a property, Rabta uses
// its name, label, type, range and inheritance: Thing → LegalEntity →
// Person/Organization → Company; Interval → Interest → Ownership,
// Directorship, …; Asset, Value, BankAccount, Payment, Call, Event and so on.
// Only the subset an intelligence-sharing platform needs is kept; FtM
// properties not listed here are refused rather than silently stored.
//
// The schemata are data, not code: schemata.json is embedded and parsed once
// at start-up. A broken file is a programming error and panics; the tests
// check that every range, caption, required property and edge end resolves.
//
// # Where Rabta extends FtM
//
// Schemata and properties FtM lacks carry Extension = true, so an exporter
// can drop them when writing plain FtM:
//
//   - Phone: a number as a record of its own (FtM only has the phone type),
//     so that call records can link numbers and numbers can be attributed
//     to people (owner, user).
//   - Call: FtM's Call is not an edge. Rabta adds callerPhone and
//     receiverPhone (→ Phone) and draws the edge between them, because call
//     detail records name numbers, not people; FtM's caller, callerNumber,
//     receiver and receiverNumber are kept. Also direction, callType, cellId
//     and imei.
//   - Case, Offence, Seizure, Arrest, Operation, Victim and Referral, in FtM
//     style. Arrest, Victim and Referral hang off one person, like FtM's
//     Sanction or Identification, so they are not edges.
//   - A few properties on FtM schemata: Vehicle chassisNumber, engineNumber
//     and color; Payment method.
//
// Deliberate differences in behaviour: FtM's "required: name" on Thing is not
// enforced (intelligence often concerns unnamed subjects); what is required
// is both ends of every edge and the key of a few interval records. FtM's
// CryptoWallet privateKey is left out, because secrets are not for sharing.
//
// # Values
//
// Validate trims, checks and normalises values in place: countries are
// lower-case ISO 3166-1 alpha-2 codes as FtM stores them, dates are FtM's
// prefixes of YYYY-MM-DDTHH:MM:SS in UTC, IBANs are compact upper-case,
// phone numbers lose their separators. Entity-typed values are only checked
// to look like ids; whether the record exists, and whether its schema fits
// the property's Range, is the store's business.
package schema
