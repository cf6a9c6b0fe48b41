// Package rabta holds Rabta's domain: agencies, users, records with their
// markings and gradings, the access decision, and audit events. Besides the
// standard library it uses only the other domain packages (schema, ident);
// storage, HTTP, the UI and file formats live in packages of their own that
// import this one.
package rabta

import (
	"errors"
	"fmt"
)

// Error codes carried by *Error. The HTTP layer maps them to status codes;
// the CLI prints the message.
const (
	ENotFound     = "not_found"
	EInvalid      = "invalid"
	EConflict     = "conflict"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	EPointer      = "pointer"
	EInternal     = "internal"
)

// Error is a domain error with a machine-readable code and a message fit to
// show the user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, EInternal for errors of other kinds and
// "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err; errors that are not
// *Error are internal and their text is not shown.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
