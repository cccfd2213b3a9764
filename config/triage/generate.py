"""Generates config/triage/examples.jsonl and holdout.jsonl: labelled messages for a generic SaaS.

Templates x slot values, shuffled with a fixed seed, split 85/15. Re-run after editing:
    python3 config/triage/generate.py
"""
import json, random, itertools, pathlib

R = random.Random(42)
FEATURES = ["dashboard", "reports", "workspace", "projects", "exports", "API", "webhooks", "SSO", "audit log",
            "billing page", "team page", "integrations page", "CSV export", "mobile app", "scheduler"]
INTEGR = ["Slack", "GitHub", "Zapier", "Google Sheets", "Salesforce", "HubSpot", "Jira", "Stripe", "Okta", "Teams"]
OPENERS = ["", "hi, ", "hey team, ", "hello! ", "quick question: ", "hi all, ", "morning, ", "sorry if this was asked before, ", "hey ", "@bot "]

T = {
"tier1": [
 "is it possible to {verb} the {f}?", "what's the best way to {verb} the {f}?", "where is the setting for {f}?", "do you have docs on {i}?", "can someone explain how {f} works?", "how does billing work for viewers?", "which plan do I need for the API?", "how do I set up {i} for my team?", "can I get an annual invoice?", "how many dashboards can I have on the free plan?", "is there a limit on {f}?", "how do I add my logo to reports?", "where do I change who gets the invoices?", "can I move my workspace to the EU region?", "how do I cancel a pending invitation?", "what does 'viewer' role mean?", "can I try the Team plan before paying?", "how do I connect a Postgres database?", "is SSO available on Pro?", "how long are exports kept?",
 "how do I reset my password?", "where can I change my email address?", "how do I invite a teammate to my workspace?",
 "how can I add {i} to my account?", "is there a way to export my {f} to CSV?", "how do I upgrade to the Pro plan?",
 "what does the Team plan include?", "can I switch from monthly to annual billing?", "where do I find my invoices?",
 "how do I update my credit card?", "how do I enable two-factor authentication?", "what are the API rate limits?",
 "how do I generate an API key?", "does the {f} support dark mode?", "how do I connect {i}?", "can I rename my workspace?",
 "how do I remove a user from my team?", "what payment methods do you accept?", "do you offer a student discount?",
 "how do I set up SSO with {i}?", "where can I see my current plan?", "how many seats do I have on my plan?",
 "can I change the billing email on invoices?", "how do I add a VAT number to my invoices?", "is there a free trial?",
 "how do I configure webhooks?", "how do I change my time zone?", "where are the docs for the {f}?",
 "what is the difference between Pro and Business?", "how do I transfer ownership of the workspace?",
 "can I get a copy of my last invoice?", "when does my subscription renew?", "how do I downgrade my plan?",
 "how do I turn off email notifications?", "is there an API endpoint to list projects?", "how do I paginate API results?",
 "how do I schedule a report every monday?", "can I use {i} and {i2} together?", "what's the max file size for uploads?",
 "how do I change my username?", "how do I log out of all devices?", "where do I find the API documentation?",
 "how do I add a second admin?", "can I pay by invoice instead of card?", "which regions do you host data in?",
 "how do I import data from a spreadsheet?", "how do I customise the {f}?", "how do I share a report with a client?",
 "what happens when my trial ends?", "do you support webhooks for new events?", "how does seat billing work?",
 "can I pause my subscription?", "how do I find my account id?", "what's included in the free plan?",
],
"tier2": [
 "{f} doesn't work anymore", "{f} not loading for me", "{f} stuck on loading forever", "I click save on the {f} and nothing happens", "can't open the {f} since this morning", "{i} keeps disconnecting", "{f} keeps failing", "we can't log in at all", "nothing shows up in the {f} after the refresh", "{i} sync broken again", "the {f} spins and never finishes", "our scheduled reports stopped arriving", "{f} times out every time", "the numbers in the {f} are wrong today", "my {i} webhook gets no events anymore", "getting weird errors from the API today", "{f} is unusable right now, super laggy", "the {f} page crashes my browser", "data stopped updating yesterday", "requests to the API hang",
 "the {f} won't load, just a blank page", "I'm getting a 500 error when I open the {f}", "the API returns 502 since this morning",
 "{i} integration stopped syncing yesterday", "webhooks are not being delivered to my endpoint", "login fails with an error after I enter my password",
 "the {f} is extremely slow today", "export to CSV is stuck at 0%", "my API calls time out after 30 seconds",
 "is the service down? nothing loads for me", "I keep getting 'something went wrong' on the {f}", "the {i} connection says token expired and reconnecting fails",
 "getting 401 unauthorized with a valid API key", "the app crashes when I open the {f}", "reports show wrong numbers since the last update",
 "the scheduler didn't run my job last night", "SSO login loops back to the sign-in page", "password reset email never arrives",
 "charts are empty even though there is data", "upload fails with 'network error'", "the mobile app freezes on startup",
 "we see 429 too many requests even though we're under the limit", "the {f} shows an error: failed to fetch", "data from {i} is duplicated after sync",
 "the search is broken, it returns nothing", "our webhook signatures fail to verify since today", "invite emails bounce for my team",
 "I can't save changes to the {f}, the button does nothing", "the page says 503 service unavailable", "API responses are missing fields since yesterday",
 "dashboard keeps logging me out every few minutes", "the {i} app shows an error when installing", "sync with {i} is stuck on pending",
 "notifications stopped working for everyone on my team", "export file is corrupted when I open it", "2FA codes are rejected every time",
 "the {f} is down for our whole company", "after the update the {f} throws a JavaScript error", "we lost data in the {f} after the outage",
 "the API is returning HTML instead of JSON", "I get 'permission denied' opening my own project", "the {f} has been broken for an hour",
 "images don't render in the {f}", "timestamps are off by hours in the {f}", "the CLI fails with connection refused",
 "it says my account is locked and I can't get in", "the status page says ok but everything is failing for us",
],
"human": [
 "I need my money back for the unused months", "why was I billed again after cancelling?", "I demand a refund right now", "I'm going to report you to consumer protection", "get me someone from billing, this is wrong", "please remove all our data, we're leaving", "who do I talk to about a contract dispute?", "I want compensation for the outage", "I never authorised this payment", "your team promised me a credit and never delivered",
 "I want a refund", "I want my money back, you charged me twice", "you charged my card twice this month", "I'd like to cancel and get a refund for this year",
 "this is unacceptable, I want to speak to a manager", "I need to talk to a real person", "can I talk to a human please?",
 "our lawyer will be in touch about this", "please delete all my data under GDPR", "I want to file a formal complaint",
 "I'm disputing this charge with my bank", "there's a charge on my statement I don't recognise", "someone hacked my account and changed the owner",
 "I think our account was compromised", "you billed us after we cancelled, fix it now", "this is the third time I ask, your support is useless",
 "I was promised a discount by your sales rep and it's not applied", "we need a data processing agreement signed", "close my account and remove everything",
 "I'm furious, we lost a client because of your outage", "your invoice amount is wrong, we were overcharged", "refund the last {n} months please",
 "I want to cancel my subscription immediately", "need to speak with someone about our enterprise contract", "your service broke our production and I want compensation",
 "legal question about data retention for our customers", "I'm reporting a security vulnerability in your {f}", "we were charged for {n} seats but only use 2",
 "who do I send a subpoena to", "terrible service, cancelling today unless someone calls me", "this is fraud, I never signed up for this",
 "I need a credit for the downtime last week", "please escalate this to your CEO", "stop charging my card",
 "I am a journalist and want a comment", "delete my personal information from your systems", "the double charge still hasn't been refunded",
 "our contract says 99.9% uptime, we want the SLA credit", "I need an invoice corrected for tax reasons, this is urgent and legal",
],
"none": [
 "happy monday all", "haha same here", "see you at the meetup", "just saying hi", "what a week", "good night folks", "nice one!", "thanks everyone for the warm welcome", "lol", "beautiful day here in Lisbon",
 "anyone watching the game tonight?", "good morning everyone!", "thanks, that worked!", "lol that's great", "happy friday folks",
 "just joined, hi everyone 👋", "love the new design", "what's everyone working on this week?", "gm", "haha nice",
 "cool, thanks", "congrats on the launch!", "is anyone going to the conference next month?", "great meetup yesterday",
 "who else is drinking coffee right now", "ok", "awesome", "this community is great", "nice weather today",
 "what music do you listen to while coding?", "happy new year!", "shoutout to the team for the new release",
 "brb lunch", "welcome aboard!", "that meme is hilarious", "anyone into rust here?", "see you all tomorrow",
 "👍", "thank you so much!", "have a good weekend", "any recommendations for a good podcast?", "I'm from Berlin, hi",
 "did you see the match last night", "we're hiring btw, DM me", "what's your favourite keyboard?", "cheers",
 "loving the {f} redesign, great job", "the webinar was really good", "happy holidays to everyone", "no worries",
 "interesting article on startups today", "pizza or burgers for the team lunch?", "just shipped my side project",
]}

def fill(tpl):
    out = []
    for _ in range(6):
        i, i2 = R.sample(INTEGR, 2)
        s = tpl.format(f=R.choice(FEATURES), i=i, i2=i2, n=R.choice([2, 3, 6, 12]), verb=R.choice(["export", "share", "duplicate", "rename", "embed", "schedule"]))
        s = R.choice(OPENERS) + s
        if R.random() < 0.3: s = s[0].upper() + s[1:]
        if R.random() < 0.2: s = s.rstrip("?!.") + R.choice(["", " thanks", " pls", " asap", " :)", " - thx"])
        out.append(s)
    return sorted(set(out))

# Hold out whole templates (15% per tier), so the held-out score measures phrasings the model never saw.
train, hold = [], []
for tier, tpls in T.items():
    tpls = list(tpls)
    R.shuffle(tpls)
    k = max(1, len(tpls) * 15 // 100)
    for n, tpl in enumerate(tpls):
        for s in fill(tpl):
            (hold if n < k else train).append({"text": s, "tier": tier})
R.shuffle(train)
R.shuffle(hold)
rows, cut = train + hold, len(train)
root = pathlib.Path(__file__).resolve().parent
with open(root / "examples.jsonl", "w") as f:
    for r in rows[:cut]: f.write(json.dumps(r, ensure_ascii=False) + "\n")
with open(root / "holdout.jsonl", "w") as f:
    for r in rows[cut:]: f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows[:cut]), len(rows[cut:]))
