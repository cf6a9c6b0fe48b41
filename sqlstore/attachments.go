package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/rabta/rabta"
)

// Attachments of cases and of requests' replies: the body stored once per
// SHA-256 in blobs, each attachment with its own marking.

// checkAttachment validates an attachment p is adding and fills in its
// digest, size, id and provenance.
func (s *Store) checkAttachment(p rabta.Principal, at *rabta.Attachment, content []byte) error {
	at.Name = strings.TrimSpace(at.Name)
	if at.Name == "" || len(at.Name) > 255 || strings.ContainsAny(at.Name, "/\\\x00\r\n") {
		return rabta.Errorf(rabta.EInvalid, "name: a file name of at most 255 characters, without slashes or line breaks")
	}
	if len(content) == 0 || len(content) > rabta.MaxAttachment {
		return rabta.Errorf(rabta.EInvalid, "content: between 1 byte and %d MB", rabta.MaxAttachment>>20)
	}
	if at.MediaType == "" {
		at.MediaType = "application/octet-stream"
	}
	if len(at.MediaType) > 100 || strings.ContainsAny(at.MediaType, "\r\n") {
		return rabta.Errorf(rabta.EInvalid, "media_type: not a media type")
	}
	if at.Classification == "" {
		at.Classification = rabta.Restricted
	}
	if !at.Classification.Valid() || !p.Clearance.Covers(at.Classification) {
		return rabta.Errorf(rabta.EInvalid, "marking.classification: %q is unknown or above your clearance", at.Classification)
	}
	switch at.Handling {
	case "":
		at.Handling = "P"
	case "P", "C":
	default:
		return rabta.Errorf(rabta.EInvalid, "marking.handling: %q is not P or C", at.Handling)
	}
	for i, c := range at.Categories {
		if !slices.Contains(rabta.Categories, c) {
			return rabta.Errorf(rabta.EInvalid, "marking.categories[%d]: unknown category %q", i, c)
		}
	}
	if at.Categories == nil {
		at.Categories = []rabta.Category{}
	}
	sum := sha256.Sum256(content)
	at.SHA256, at.Size = hex.EncodeToString(sum[:]), int64(len(content))
	at.ID, at.Agency, at.AddedBy, at.AddedAt = newID(), p.Agency, p.Username, s.now()
	return nil
}

// putAttachment writes a checked attachment of a case or of a reply.
func (s *Store) putAttachment(ctx context.Context, tx *sql.Tx, at *rabta.Attachment, content []byte, caseID, replyID string) error {
	var have int
	if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM blobs WHERE sha256 = ?"), at.SHA256).Scan(&have); err != nil {
		return err
	}
	if have == 0 {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO blobs (sha256, size, content) VALUES (?, ?, ?)"), at.SHA256, at.Size, content); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO attachments (id, case_id, reply_id, name, media_type, sha256, size, agency, handling, classification, categories, added_by, added_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), at.ID, nullable(caseID), nullable(replyID), at.Name, at.MediaType, at.SHA256, at.Size, at.Agency, at.Handling,
		string(at.Classification), joinList(at.Categories), at.AddedBy, micros(at.AddedAt))
	return err
}

// mayOpen reports whether p may open an attachment, by the one access
// decision: the attachment is shared with everyone who sees the case or
// request it belongs to (release all), so its classification and special
// categories decide — victims' files for the protection role, informants'
// for their handlers only.
func mayOpen(p rabta.Principal, at *rabta.Attachment) bool {
	m := rabta.Marking{Release: rabta.ReleaseAll, Classification: at.Classification, Categories: at.Categories}
	return rabta.Decide(p, at.Agency, m) == rabta.AccessFull
}

// attachments loads the attachments matching where, as p may see them: one
// p may not open shows only that it exists.
func (s *Store) attachments(ctx context.Context, p rabta.Principal, where string, args ...any) ([]rabta.Attachment, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, name, media_type, sha256, size, agency, handling, classification, categories, added_by, added_at FROM attachments WHERE "+where+" ORDER BY added_at, id"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []rabta.Attachment{}
	for rows.Next() {
		var at rabta.Attachment
		var cats string
		var added int64
		if err := rows.Scan(&at.ID, &at.Name, &at.MediaType, &at.SHA256, &at.Size, &at.Agency, &at.Handling, &at.Classification, &cats, &at.AddedBy, &added); err != nil {
			return nil, err
		}
		at.AddedAt = fromMicros(added)
		at.Categories = []rabta.Category{}
		for _, c := range splitList(cats) {
			at.Categories = append(at.Categories, rabta.Category(c))
		}
		if !mayOpen(p, &at) {
			// The file exists; its name may say too much.
			at.Name, at.SHA256, at.MediaType, at.Withheld = "", "", "", true
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// blob reads an attachment's body.
func (s *Store) blob(ctx context.Context, sha string) ([]byte, error) {
	var content []byte
	err := s.db.QueryRowContext(ctx, s.q("SELECT content FROM blobs WHERE sha256 = ?"), sha).Scan(&content)
	return content, err
}

// AddReplyAttachment attaches a file to a reply, by the reply's author.
func (s *Store) AddReplyAttachment(ctx context.Context, p rabta.Principal, requestID, replyID string, at *rabta.Attachment, content []byte) error {
	if err := s.checkAttachment(p, at, content); err != nil {
		return err
	}
	_, err := s.updateRequest(ctx, p, requestID, "reply attachment", func(tx *sql.Tx, r *rabta.Request) error {
		var author string
		err := tx.QueryRowContext(ctx, s.q("SELECT author FROM request_replies WHERE id = ? AND request_id = ?"), replyID, r.ID).Scan(&author)
		if err == sql.ErrNoRows {
			return rabta.Errorf(rabta.ENotFound, "no reply %q in this request", replyID)
		}
		if err != nil {
			return err
		}
		if author != p.Username {
			return rabta.Errorf(rabta.EForbidden, "only the reply's author attaches files to it")
		}
		return s.putAttachment(ctx, tx, at, content, "", replyID)
	})
	return err
}

// ReplyAttachmentContent returns a reply's file if p may see the request
// and open the file; the download is logged.
func (s *Store) ReplyAttachmentContent(ctx context.Context, p rabta.Principal, requestID, id string) (*rabta.Attachment, []byte, error) {
	if _, err := s.loadRequest(ctx, s.db, p, requestID); err != nil {
		return nil, nil, err
	}
	ats, err := s.attachments(ctx, p, "id = ? AND reply_id IN (SELECT id FROM request_replies WHERE request_id = ?)", id, requestID)
	if err != nil {
		return nil, nil, err
	}
	var replyClass rabta.Classification
	if len(ats) == 1 {
		if err := s.db.QueryRowContext(ctx, s.q("SELECT r.classification FROM request_replies r JOIN attachments a ON a.reply_id = r.id WHERE a.id = ?"), id).Scan(&replyClass); err != nil {
			return nil, nil, err
		}
	}
	if len(ats) == 0 || ats[0].Withheld || !p.Clearance.Covers(replyClass) {
		return nil, nil, rabta.Errorf(rabta.ENotFound, "no attachment %q you may open", id)
	}
	content, err := s.blob(ctx, ats[0].SHA256)
	if err != nil {
		return nil, nil, err
	}
	e := event(ctx, p, rabta.ActRequestRead, "request:"+requestID, "attachment:"+id)
	e.Count = 1
	return &ats[0], content, s.Audit(ctx, e)
}
