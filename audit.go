package rabta

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Audit actions. Every read, search, export and change of records, and every
// sign-in, writes one event before the response is sent.
const (
	ActLogin         = "auth.login"
	ActLoginFailed   = "auth.login_failed"
	ActLogout        = "auth.logout"
	ActRecordRead    = "record.read"
	ActRecordCreate  = "record.create"
	ActRecordUpdate  = "record.update"
	ActRecordList    = "record.list"
	ActRecordCount   = "record.count"
	ActRecordRelated = "record.related"
	// ActRecordSummaries: names of referenced records, read for a record page.
	ActRecordSummaries = "record.summaries"
	ActSearch          = "search"
	ActExport          = "export"
	ActImport          = "import"
	ActAuditRead       = "audit.read"
	ActAuditVerify     = "audit.verify"
	ActAgencyWrite     = "agency.write"
	ActUserWrite       = "user.write"
	ActTokenCreate     = "token.create"
	ActDemoLoad        = "demo.load"
	// ActDeconflict: a hit/no-hit check; the query names the selector
	// kinds, never their values.
	ActDeconflict  = "deconflict"
	ActHitsRead    = "hits.read"
	ActProfileRead = "profile.read"
	// ActJudge: an analyst's judgement on two records (or its retraction).
	ActJudge      = "profile.judge"
	ActReviewRead = "profile.review"
	// ActSanctionsLoad: a new version of a sanctions list.
	ActSanctionsLoad = "sanctions.load"
	ActScreenRead    = "screening.read"
	ActScreen        = "screening.check"
	ActIndexRebuild  = "index.rebuild"
	// The platform's own writes: screening runs and profile resolution.
	ActScreenRun = "screening.run"
	// ActNetworkRead: a network (link chart, path, analysis) loaded around
	// seed records; objects are the seeds.
	ActNetworkRead = "network.read"
	ActResolve     = "profile.resolve"
	// Link charts: saving one, opening one (its nodes and links are read
	// again through the network, logged as network.read too), listing an
	// agency's charts, and exporting one (GraphML from the server; a PNG
	// as the browser reports it). Objects are chart ids, or the seeds.
	ActChartSave   = "chart.save"
	ActChartRead   = "chart.read"
	ActChartList   = "chart.list"
	ActChartExport = "chart.export"
	// Cooperation: requests between agencies and the grants they create,
	// cases, planned operations and their conflicts, the inbox. Objects
	// name the request, grant, case or operation and the records touched.
	ActRequestCreate = "request.create"
	ActRequestRead   = "request.read"
	ActRequestList   = "request.list"
	ActRequestUpdate = "request.update" // acknowledge, reply, refuse, withdraw: Query says which
	ActGrantCreate   = "grant.create"
	ActGrantRevoke   = "grant.revoke"
	ActGrantList     = "grant.list"
	ActCaseCreate    = "case.create"
	ActCaseRead      = "case.read"
	ActCaseList      = "case.list"
	ActCaseUpdate    = "case.update" // members, records, milestones, tasks, notes, attachments: Query says which
	ActOperationAdd  = "operation.create"
	ActOperationRead = "operation.read"
	ActConflictSolve = "conflict.resolve"
	ActInboxRead     = "inbox.read"
	ActFiguresRead   = "figures.read"
)

// AuditEvent is one entry of the append-only, hash-chained access log.
type AuditEvent struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id,omitempty"`
	Username string    `json:"username"`
	Agency   string    `json:"agency"`
	Action   string    `json:"action"`
	Objects  []string  `json:"objects"`
	Query    string    `json:"query,omitempty"`
	Purpose  string    `json:"purpose,omitempty"`
	Client   string    `json:"client,omitempty"`
	Count    int       `json:"count"`
	Outcome  string    `json:"outcome"` // ok, denied, failed
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// ChainHash returns the hash that commits event e to the event before it.
// It covers every field but Hash itself, the previous hash included, so
// altering, removing or reordering any event breaks the chain from there on.
// Times are hashed as UTC with nanoseconds, in the form both databases
// return unchanged.
//
// With a key the hash is an HMAC: someone who can write to the database but
// does not hold the key cannot recompute the chain after changing it.
// Without one it is plain SHA-256, which catches every change made without
// recomputing the chain.
func (e *AuditEvent) ChainHash(key []byte) string {
	objects := e.Objects
	if objects == nil {
		objects = []string{}
	}
	canon, _ := json.Marshal([]any{
		e.Seq, e.At.UTC().Format(time.RFC3339Nano), e.UserID, e.Username, e.Agency, e.Action,
		objects, e.Query, e.Purpose, e.Client, e.Count, e.Outcome, e.PrevHash,
	})
	if key != nil {
		m := hmac.New(sha256.New, key)
		m.Write(canon)
		return hex.EncodeToString(m.Sum(nil))
	}
	sum := sha256.Sum256(canon)
	return hex.EncodeToString(sum[:])
}

// GenesisHash is the previous hash of the first event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"
