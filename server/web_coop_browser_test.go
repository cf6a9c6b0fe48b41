package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rabta/rabta"
)

// TestCoopBrowser drives cooperation between two agencies in headless
// Chromium, each person signing in through the form: FIA finds a pointer
// to an ANF record and asks for access from it, ANF's supervisor finds the
// request in the inbox and approves it, FIA reads the record, the grant is
// revoked and FIA is back to the pointer; then FIA and ANF register
// overlapping raids and both see the conflict.
func TestCoopBrowser(t *testing.T) {
	h := startChromium(t, 60*time.Second)
	env := newWebEnv(t)
	coopUsers(env)
	id := anfRecord(t, env, "Gul Khan Afridi", "17301-1234567-9")
	const wait = 10 * time.Second
	// as signs out whoever is signed in and signs user in.
	as := func(user string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(js(`const b = document.querySelector('.signout button'); if (b) b.click()`),
			h.signIn(user), chromedp.WaitVisible(chromedp.CSS(`.who`)))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(h.ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}

	// FIA's analyst searches the CNIC: a pointer, and from it the request.
	h.do(chromedp.Navigate(env.ts.URL+"/login"), as("fia.analyst"), chromedp.Navigate(env.ts.URL+"/search"), chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "17301-1234567-9"))
	h.wait("the pointer in the results", `document.querySelector('#results a.more')`, wait)
	h.do(chromedp.Click(chromedp.CSS(`#results a.more`)), chromedp.WaitVisible(chromedp.CSS(`#request-access`)))
	if got := text(`main`); !strings.Contains(got, "Held by another agency") || strings.Contains(got, "Gul Khan") {
		t.Errorf("pointer page: %q", got)
	}
	h.do(chromedp.Click(chromedp.CSS(`#request-access`)), chromedp.WaitVisible(chromedp.CSS(`#rq-justification`)))
	if got := h.eval(`document.getElementById('rq-to').value + '|' + document.getElementById('rq-type').value + '|' + document.getElementById('rq-records').value`); got != "ANF|access|"+id {
		t.Errorf("prefilled form: %s", got)
	}
	h.do(chromedp.SendKeys(chromedp.CSS(`#rq-justification`), "FIA case CW-2026-88: same CNIC in a trafficking network"),
		chromedp.Click(chromedp.CSS(`.request-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#request-state`)))
	req := strings.TrimPrefix(h.eval(`location.pathname`), "/requests/")
	if got := text(`#request-state`); !strings.Contains(got, "submitted") {
		t.Errorf("filed request: %q", got)
	}

	// ANF's supervisor: the count in the header, the inbox, the approval.
	h.do(as("anf.supervisor"))
	// Two unread: the request, and the hit FIA's search raised.
	if n := h.eval(`document.querySelector('.inbox-link .count') ? document.querySelector('.inbox-link .count').textContent : ''`); n != "2" {
		t.Errorf("unread count: %q", n)
	}
	h.do(chromedp.Click(chromedp.CSS(`.inbox-link`)), chromedp.WaitVisible(chromedp.CSS(`ol.inbox a[href="/requests/`+req+`"]`)),
		chromedp.Click(chromedp.CSS(`ol.inbox a[href="/requests/`+req+`"]`)), chromedp.WaitVisible(chromedp.CSS(`#approve`)),
		chromedp.Click(chromedp.CSS(`#approve`)), chromedp.WaitVisible(chromedp.CSS(`#grant-status`)))
	if got := text(`#grant-status`); !strings.Contains(got, "active") {
		t.Errorf("grant after approval: %q", got)
	}

	// FIA reads the record in full.
	h.do(as("fia.analyst"), chromedp.Navigate(env.ts.URL+"/records/"+id), chromedp.WaitVisible(chromedp.CSS(`.record`)))
	if got := text(`.record`); !strings.Contains(got, "Gul Khan Afridi") {
		t.Errorf("granted record: %q", got)
	}

	// ANF's supervisor revokes on the grants page (confirming the prompt).
	h.do(as("anf.supervisor"), chromedp.Navigate(env.ts.URL+"/grants"), chromedp.WaitVisible(chromedp.CSS(`table.grants`)),
		js(`window.confirm = () => true`), chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)), chromedp.WaitVisible(chromedp.CSS(`.ok-box`)))
	if got := text(`table.grants`); !strings.Contains(got, "revoked") {
		t.Errorf("grants after revocation: %q", got)
	}

	// FIA is back to the pointer: the value is gone.
	h.do(as("fia.analyst"), chromedp.Navigate(env.ts.URL+"/records/"+id), chromedp.WaitVisible(chromedp.CSS(`.pointer`)))
	if html, err := chromedp.Run(h.ctx, chromedp.OuterHTML(chromedp.CSS(`html`))); err != nil || strings.Contains(html, "Gul Khan") {
		t.Errorf("after revocation FIA's page holds the record's content (%v)", err)
	}

	// Overlapping raids: FIA's investigator by district, ANF's by coordinates.
	day := time.Now().In(rabta.PKT).AddDate(0, 0, 3).Format(time.DateOnly)
	h.do(as("fia.investigator"), chromedp.Navigate(env.ts.URL+"/operations"), chromedp.WaitVisible(chromedp.CSS(`#op-title`)),
		chromedp.SendKeys(chromedp.CSS(`#op-title`), "Raid on the Shahdara warehouse"),
		chromedp.SetValue(chromedp.CSS(`#op-district`), "PB-LAHORE"),
		chromedp.SetValue(chromedp.CSS(`#op-start`), day+"T05:00"), chromedp.SetValue(chromedp.CSS(`#op-end`), day+"T09:00"),
		chromedp.SendKeys(chromedp.CSS(`#op-phone`), "0300 5550101"),
		chromedp.Click(chromedp.CSS(`.op-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#registered`)))
	if cls := h.eval(`document.getElementById('registered').className`); cls != "ok-box" {
		t.Errorf("the first raid: %s %q", cls, text(`#registered`))
	}
	h.do(as("anf.investigator"), chromedp.Navigate(env.ts.URL+"/operations"), chromedp.WaitVisible(chromedp.CSS(`#op-title`)),
		chromedp.SendKeys(chromedp.CSS(`#op-title`), "Heroin delivery Ravi Road"),
		chromedp.SendKeys(chromedp.CSS(`#op-lat`), "31.5880"), chromedp.SendKeys(chromedp.CSS(`#op-lon`), "74.3100"),
		chromedp.SendKeys(chromedp.CSS(`#op-radius`), "800"),
		chromedp.SetValue(chromedp.CSS(`#op-start`), day+"T08:00"), chromedp.SetValue(chromedp.CSS(`#op-end`), day+"T12:00"),
		chromedp.Click(chromedp.CSS(`.op-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#registered.conflict-alert`)))
	if got := text(`#registered`); !strings.Contains(got, "FIA") || !strings.Contains(got, "Usman Tariq") || !strings.Contains(got, "0300 5550101") ||
		strings.Contains(got, "Shahdara") {
		t.Errorf("the second registrant's conflict: %q", got)
	}

	// FIA's investigator follows the inbox to the conflict.
	h.do(as("fia.investigator"), chromedp.Click(chromedp.CSS(`.inbox-link`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.inbox a[href^="/conflicts#"]`)), chromedp.Click(chromedp.CSS(`ol.inbox a[href^="/conflicts#"]`)),
		chromedp.WaitVisible(chromedp.CSS(`section.conflict`)))
	conflict := strings.TrimPrefix(h.eval(`location.hash`), "#")
	if got := text(`section.conflict[id="` + conflict + `"]`); !strings.Contains(got, "Conflict with ANF") || !strings.Contains(got, "Saima Baig") ||
		!strings.Contains(got, "Raid on the Shahdara warehouse") || strings.Contains(got, "Heroin") {
		t.Errorf("the first registrant's conflict: %q", got)
	}
	// The pointer page answers 403 by design, which Chromium logs as a
	// failed load; anything else on the console fails the test.
	h.mu.Lock()
	h.console = slices.DeleteFunc(h.console, func(m string) bool { return strings.Contains(m, "status of 403 (Forbidden)") })
	h.mu.Unlock()
	h.checkConsole()
}
