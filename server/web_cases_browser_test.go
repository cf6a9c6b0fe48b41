package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestCaseBrowser drives a joint case in headless Chromium: FIA's
// investigator opens a case, adds ANF's investigator and attaches a FIA
// record; ANF's investigator follows the inbox to the case, then opens the
// record and reads it.
func TestCaseBrowser(t *testing.T) {
	h := startChromium(t, 60*time.Second)
	env := newWebEnv(t)
	coopUsers(env)
	rec := fiaRecord(t, env, "Javed Iqbal Butt", "35202-7654321-5")
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

	h.do(chromedp.Navigate(env.ts.URL+"/login"), as("fia.investigator"),
		chromedp.Click(chromedp.CSS(`nav.main a[href="/cases"]`)), chromedp.WaitVisible(chromedp.CSS(`#case-title`)),
		chromedp.SendKeys(chromedp.CSS(`#case-title`), "Heroin route Torkham–Karachi"),
		js(`document.querySelector('#case-offences option[value="CNSA-9"]').selected = true`),
		chromedp.Click(chromedp.CSS(`.case-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#m-username`)))
	if got := text(`main`); !strings.Contains(got, "Case opened") || !strings.Contains(got, "CNSA-9") {
		t.Errorf("the new case: %q", got)
	}
	id := strings.TrimPrefix(h.eval(`location.pathname`), "/cases/")
	h.do(chromedp.SendKeys(chromedp.CSS(`#m-username`), "anf.investigator"), chromedp.Click(chromedp.CSS(`#add-member`)),
		chromedp.WaitVisible(chromedp.CSS(`#case-status .state-joint`)),
		chromedp.SendKeys(chromedp.CSS(`#r-record`), rec), chromedp.Click(chromedp.CSS(`#attach-record`)),
		chromedp.WaitVisible(chromedp.CSS(`table.case-records`)))
	if got := text(`table.case-records`); !strings.Contains(got, "Javed Iqbal Butt") {
		t.Errorf("the attached record: %q", got)
	}

	// ANF's investigator is told, opens the case, then the record.
	h.do(as("anf.investigator"), chromedp.Click(chromedp.CSS(`.inbox-link`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.inbox a[href="/cases/`+id+`"]`)), chromedp.Click(chromedp.CSS(`ol.inbox a[href="/cases/`+id+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.case-records a`)), chromedp.Click(chromedp.CSS(`table.case-records a`)),
		chromedp.WaitVisible(chromedp.CSS(`.record`)))
	if got := text(`.record`); !strings.Contains(got, "Javed Iqbal Butt") || !strings.Contains(got, "35202-7654321-5") {
		t.Errorf("the record through the case: %q", got)
	}
	h.checkConsole()
}
