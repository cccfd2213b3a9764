"""Generates config/triage/products.jsonl: tickets about many kinds of products, not only ours.

banking77 and the SaaS templates teach the model what a bank's or an analytics app's customer asks;
HWU64 teaches it that everything else (email, calendars, orders, devices) is chatter. A founder's
customers write about shops, bookings, payroll, tills, CRMs and office IT, so the model called such
tickets chatter ("printer on the 3rd floor is offline again", "SMS reminders are going out twice").
Every template with an object of each of nineteen kinds of product, shuffled with a fixed seed.
E-mail and calendars get every template once more each: HWU64's 1,250 lines on them ("check my
email", "what's on my calendar") taught the model that "how do I set up an out of office reply"
is chatter too. Re-run after editing:
    python3 config/triage/generate_products.py
"""
import json, random, pathlib

R = random.Random(7)
# Each kind of product: the things its customers write about, and how they name a screen or button.
OBJECTS = {
    "shop": ["checkout", "the product pages", "order sync", "shipping rates", "discount codes",
             "inventory counts", "tax rates", "the storefront", "abandoned cart emails", "gift cards"],
    "bookings": ["the booking page", "appointment reminders", "the staff rota", "online payments",
                 "the waitlist", "class schedules", "deposits on bookings", "the opening hours"],
    "crm": ["the contact import", "the pipeline view", "deal stages", "lead forms", "email sequences",
            "contact records", "the sales forecast", "call logging"],
    "marketing": ["campaign reports", "the sign-up form", "the email editor", "open tracking",
                  "list segments", "the sending domain", "landing pages", "unsubscribe links"],
    "people": ["timesheets", "the time clock", "payslips", "leave approvals", "employee profiles",
               "the org chart", "expense claims", "shift swaps"],
    "till": ["the card reader", "the receipt printer", "the till", "the end of day report",
             "the barcode scanner", "the cash drawer", "the kiosk", "loyalty points"],
    "helpdesk": ["the chat widget", "ticket assignment", "canned replies", "the customer portal",
                 "SLA timers", "auto-replies", "the shared inbox", "satisfaction surveys"],
    "projects": ["the task board", "the gantt chart", "time tracking", "file attachments",
                 "recurring tasks", "project templates", "guest access", "task comments"],
    "accounts": ["the bank feed", "reconciliation", "purchase orders", "the VAT return",
                 "multi-currency invoices", "the balance sheet", "bill approvals", "credit notes"],
    "office": ["the VPN", "the shared mailbox", "the copier", "my laptop", "the meeting room screen",
               "the phone system", "the office Wi-Fi", "the team drive", "my door badge", "Outlook"],
    "hosting": ["deploys", "the build pipeline", "our custom domain", "the SSL certificate",
                "database backups", "log streaming", "the staging site", "cron jobs"],
    "restaurant": ["the online menu", "kitchen tickets", "table bookings", "the order screen",
                   "allergy notes", "the takeaway menu", "tips", "the floor plan"],
    "events": ["ticket sales", "the seating chart", "the guest list", "event reminders", "check-in",
               "the event page", "promo codes", "the waiting list"],
    "classes": ["class bookings", "the timetable", "course enrolment", "lesson videos", "attendance",
                "class passes", "the student portal", "certificates"],
    "clinic": ["patient intake forms", "appointment confirmations", "treatment notes",
               "reminder texts", "the patient portal", "cancellation fees", "the practitioner diary"],
    "members": ["membership renewals", "member cards", "the members area", "direct debits",
                "the renewal emails", "membership levels", "guest passes", "the join form"],
    "email": ["the out of office reply", "my inbox", "email signatures", "the spam filter",
              "email forwarding", "the group mailbox", "email aliases", "the outgoing emails",
              "the notification emails", "the email app on my phone", "the confirmation emails"],
    "calendar": ["the shared calendar", "meeting invites", "calendar sync", "the room calendar",
                 "recurring meetings", "the booking link", "meeting reminders", "my calendar"],
    "warehouse": ["stock transfers", "the packing list", "pick lists", "shipping labels", "returns",
                  "the stock count", "the second warehouse", "delivery notes"],
}
TOOLS = ["Shopify", "QuickBooks", "Xero", "Mailchimp", "Google Calendar", "Outlook", "Salesforce",
         "HubSpot", "Zapier", "Slack", "Teams", "WooCommerce", "Square", "Stripe", "Gmail"]
DEVICES = ["iPhone", "Android", "iPad", "Windows", "Mac", "Chrome", "Safari", "Firefox"]
WHEN = ["since this morning", "since yesterday", "since the update", "for two days now",
        "since last night", "after your release", "all afternoon", "again today"]
WHO = ["our managers", "a new hire", "the front desk", "our accountant", "a contractor",
       "the night shift", "our interns", "store managers"]
OPENERS = ["", "hi, ", "hey, ", "hello, ", "quick question: ", "urgent: ", "hi team, ",
           "good morning, ", "sorry to bother you, "]

T = {
"tier2": [
    "{o} stopped working {w}", "{o} shows the wrong numbers {w}", "{o} is broken for everyone",
    "{o} isn't updating {w}", "{o} went blank {w}", "{o} keeps logging us out",
    "nothing happens when we click save in {o}", "we're seeing duplicates in {o}",
    "{o} has been down for an hour", "{o} is painfully slow {w}", "{o} won't open on {d}",
    "{o} throws an error when we try to save", "{o} is missing everything from last week",
    "customers tell us {o} doesn't load", "{o} isn't syncing with {t} {w}",
    "{o} looks broken on {d} {w}", "{o} froze in the middle of the day", "the totals in {o} don't add up",
    "{o} sends everything twice", "{o} says access denied for {p}", "{o} shows someone else's data",
    "{o} is stuck on loading", "we lost changes we made in {o}", "{o} times out every time we open it",
    "{o} has the wrong time on everything", "{o} disappeared from the menu {w}",
    "{p} can't get into {o}", "{o} keeps failing with no message", "{o} dropped off {w}",
    "the {t} connection for {o} broke {w}",
    "{o} shows yesterday's date", "{o} came out empty", "{o} went to the wrong people",
    "{o} never arrive", "{o} still lists things we removed", "{o} counts everything twice",
    "{o} is blank for {p}", "{o} rejects every code", "{o} look stretched on {d}",
    "{o} are a day off", "{o} has the old prices", "{o} says the wrong address",
],
"tier1": [
    "how do I set up {o}?", "can we change how {o} works for {p}?", "is there a way to export {o}?",
    "where do I find {o}?", "can {o} be customised with our logo?", "does {o} work with {t}?",
    "how do I give {p} access to {o}?", "what's the limit on {o}?", "can you add {p} to {o}?",
    "is it possible to turn off {o} for some people?", "how do we move {o} to another account?",
    "where can I see the history of {o}?", "can {o} be scheduled?", "how do I connect {o} to {t}?",
    "what happens to {o} if we cancel?", "can we try {o} before we upgrade?",
    "is {o} available on {d}?", "how do I change the language of {o}?", "who can edit {o}?",
    "can {p} see {o} without a login?", "is there a guide for {o}?", "how do I bulk edit {o}?",
    "can we get {o} in our own currency?", "how do we back up {o}?", "can {o} send a copy to {t}?",
    "what's the difference between the two options in {o}?", "can I undo a change in {o}?",
    "how do I reset {o} to the defaults?", "do you charge extra for {o}?",
    "how long do you keep {o}?",
    "can customers change {o} themselves?", "can {p} see {o}?", "where do I set up {o}?",
    "is it possible to limit {o}?", "can {o} be different on public holidays?",
    "how do we add notes to {o}?", "can we turn {o} off for online orders only?",
    "is there an app for {o}?", "how do I print {o}?", "can {o} go out automatically?",
    "how do we set up {o} for a second location?", "can {p} approve {o} from their phone?",
]}
SUBJECTS = {"tier2": ["Problem with {O}", "{O} not working", "Issue: {O}", "{O} broken", "{O}"],
            "tier1": ["Question about {O}", "{O} setup", "How to use {O}", "{O}", "Help with {O}"]}


def subject(tier, o):
    name = o.removeprefix("the ").removeprefix("our ").removeprefix("my ")
    return R.choice(SUBJECTS[tier]).format(O=name[0].upper() + name[1:])


def one(tier, tpl, kind):
    o = R.choice(OBJECTS[kind])
    s = tpl.format(o=o, w=R.choice(WHEN), t=R.choice(TOOLS), d=R.choice(DEVICES), p=R.choice(WHO))
    if R.random() < 0.25:
        body = s[0].upper() + s[1:]
        s = subject(tier, o) + "\n" + body + R.choice([".", "", " Can you help?", " Thanks."])
    else:
        s = R.choice(OPENERS) + s
    return s[0].upper() + s[1:] if R.random() < 0.4 else s


rows = [{"text": one(tier, tpl, kind), "tier": tier}
        for tier, tpls in T.items() for tpl in tpls for kind in sorted(OBJECTS)]
# The topics HWU64 calls chatter, once more per template.
rows += [{"text": one(tier, tpl, kind), "tier": tier}
         for tier, tpls in T.items() for tpl in tpls for kind in ("email", "calendar")]
R.shuffle(rows)
path = pathlib.Path(__file__).resolve().parent / "products.jsonl"
with open(path, "w") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows))
