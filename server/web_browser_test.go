package server_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWebBrowser drives the UI in headless Chromium, where it exists: the
// sign-in form, the htmx live search, the JavaScript that sends the CSRF
// header (the audit check) and auto-submits selects, and no Content
// Security Policy violation on the way.
func TestWebBrowser(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("RABTA_REQUIRE_CHROMIUM") == "1" {
			t.Fatal("RABTA_REQUIRE_CHROMIUM=1 but there is no Chromium at " + chromium)
		}
		t.Skip("no Chromium at " + chromium)
	}
	env := newWebEnv(t)
	env.signIn("fia.analyst").createRecord(personForm("Imran Qureshi", "35202-1234567-1", nil))

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var console []string
	cctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range chromedp.Console(cctx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m.String())
			mu.Unlock()
		}
	}()

	signIn := func(user string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(`#username`)),
			chromedp.SendKeys(chromedp.CSS(`#username`), user),
			chromedp.SendKeys(chromedp.CSS(`#password`), webPassword),
			chromedp.Submit(chromedp.CSS(`#password`)))
	}
	poll := func(expr string) (string, error) {
		return chromedp.Run(ctx, chromedp.Poll[string](expr, chromedp.WithPollingTimeout(10*time.Second)))
	}

	// Live search: typing fetches the results fragment and pushes the URL.
	err := chromedp.Do(ctx, chromedp.Navigate(env.ts.URL+"/search"), signIn("fia.analyst"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)), chromedp.SendKeys(chromedp.CSS(`#q`), "Qures"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := poll(`document.querySelector('#results').textContent.includes('Imran Qureshi') ? location.search : ''`); err != nil || !strings.Contains(got, "q=Qures") {
		t.Errorf("live search: %q, %v", got, err)
	}

	// The schema select reloads the form by itself; the form creates a record.
	err = chromedp.Do(ctx, chromedp.Navigate(env.ts.URL+"/records/new"), chromedp.WaitVisible(chromedp.CSS(`#schema-choice`)),
		chromedp.SetValue(chromedp.CSS(`#schema-choice`), "Phone"), // fires change: data-autosubmit reloads the form
		chromedp.WaitVisible(chromedp.CSS(`#p-number`)), chromedp.SendKeys(chromedp.CSS(`#p-number`), "0300 1112223"),
		chromedp.Click(chromedp.CSS(`.record-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.banner`)))
	if err != nil {
		t.Errorf("record form in the browser: %v", err)
	}

	// The two-agency story: FIA records a person through the form; ANF signs
	// in, searches by the CNIC in another format, and sees only the pointer.
	err = chromedp.Do(ctx, chromedp.Navigate(env.ts.URL+"/records/new?schema=Person"), chromedp.WaitVisible(chromedp.CSS(`#p-name`)),
		chromedp.SendKeys(chromedp.CSS(`#p-name`), "Shahzad Gondal"), chromedp.SendKeys(chromedp.CSS(`#p-idNumber`), "61101-7654321-3"),
		chromedp.Click(chromedp.CSS(`.record-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.banner`)),
		chromedp.Click(chromedp.CSS(`.signout button`)), signIn("anf.analyst"), chromedp.WaitVisible(chromedp.CSS(`.who`)),
		chromedp.Navigate(env.ts.URL+"/search"), chromedp.WaitVisible(chromedp.CSS(`#q`)), chromedp.SendKeys(chromedp.CSS(`#q`), "6110176543213"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := poll(`(t => t.includes('FIA duty desk') ? t : '')(document.querySelector('#results').textContent)`)
	if err != nil || strings.Contains(got, "Shahzad") || strings.Contains(got, "Gondal") {
		t.Errorf("ANF's search shows %q (%v): want the FIA pointer and no content", got, err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS(`html`))); err != nil || strings.Contains(html, "Shahzad") {
		t.Errorf("ANF's page holds FIA's content (%v)", err)
	}

	// ANF checks the CNIC on the deconfliction page: a hit naming FIA, and
	// nothing of the record.
	err = chromedp.Do(ctx, chromedp.Navigate(env.ts.URL+"/deconflict"), chromedp.WaitVisible(chromedp.CSS(`#sel-value-0`)),
		chromedp.SendKeys(chromedp.CSS(`#sel-value-0`), "61101-7654321-3"), chromedp.SendKeys(chromedp.CSS(`#c-purpose`), "ANF-CASE-3"),
		chromedp.Click(chromedp.CSS(`.check-form button.primary`)), chromedp.WaitVisible(chromedp.CSS(`#check-result`)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#check-result`))); err != nil || !strings.Contains(got, "FIA") || strings.Contains(got, "Shahzad") {
		t.Errorf("deconfliction check in the browser: %q, %v", got, err)
	}

	// The audit check posts through htmx with the CSRF header.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.signout button`)), signIn("fia.auditor"),
		chromedp.WaitVisible(chromedp.CSS(`.who`)), chromedp.Navigate(env.ts.URL+"/audit"), chromedp.Click(chromedp.CSS(`.verify button`)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := poll(`document.querySelector('#verify-result').textContent.trim()`); err != nil || !strings.Contains(got, "The chain is intact") {
		t.Errorf("audit check through htmx: %q, %v", got, err)
	}

	stop()
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, m := range console {
		if strings.Contains(m, "Content Security Policy") || strings.HasPrefix(m, "error") || strings.HasPrefix(m, "exception") {
			t.Errorf("browser console: %s", m)
		}
	}
}
