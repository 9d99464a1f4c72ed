"""Invented names for demo alliances. No real people: first and last names are mixed at random.

School names are those in the seed documents (real schools named in public reports), followed
by invented ones for larger demos.
"""

FIRST_NAMES = (
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Freya", "Leo",
    "Grace", "Oscar", "Lily", "Harry", "Evie", "Jack", "Ella", "Charlie", "Poppy", "Muhammad",
    "Sophia", "Thomas", "Rosie", "Theo", "Ivy", "Alfie", "Willow", "Jacob", "Aisha", "Ravi",
    "Priya", "Kwame", "Chloe", "Daniel", "Hannah", "Samuel", "Zara", "Ethan", "Imogen", "Finn",
    "Siân", "Zoë", "Łukasz", "Olena", "Thị Lan", "Niamh", "Ciarán", "Bethan", "Rhys", "Ffion",
    "Amara", "Tariq", "Yusuf", "Mei", "Kofi", "Agnieszka", "Mateusz", "Ana", "Joaquín", "Élise",
)

LAST_NAMES = (
    "Ashworth", "Brampton", "Carver", "Dunmore", "Ellwood", "Fairbank", "Gilmour", "Hartley",
    "Ingram", "Jessop", "Kendrick", "Lomax", "Marsden", "Netherton", "Oakley", "Pemberton",
    "Quarry", "Rowntree", "Stanway", "Thornbury", "Upton", "Vickery", "Whitlock", "Yardley",
    "Abbott", "Beckwith", "Calloway", "Draycott", "Eastwood", "Fenwick", "Greaves", "Holloway",
    "Iqbal", "Okafor", "Nowak", "Kowalczyk", "Nguyen", "Patel", "Osei", "Haddad", "Moreno",
    "Rhodes", "Sinclair", "Tranter", "Wakefield", "Ó Briain", "Llewelyn", "Shevchenko",
)

SEED_PRIMARY_SCHOOLS = (
    "South Farnham School", "The Wroxham School", "Belleville Primary School",
    "Portswood Primary School", "The Mead Community Primary School", "Oldway Primary School",
    "Old Ford Primary School", "Fairlawn Primary School", "Culloden Primary School",
    "Mottram St Andrew Primary Academy", "Greet Primary School", "The Cambridge Primary School",
)

SEED_SECONDARY_SCHOOLS = (
    "Southfields Academy", "Wildern School", "Notre Dame High School", "Kemnal Technology College",
    "Hounsdown School", "Tudor Grange Academy", "The Woodroffe School", "The Fallibroome Academy",
    "Ringwood School Academy", "Ravens Wood School", "Outwood Grange Academy", "Millais School",
    "Lampton School", "Challney High School", "Arthur Terry School", "Comberton Village College",
)

# For invented school names in large demos.
PLACE_WORDS = (
    "Ash", "Beech", "Cedar", "Elm", "Hazel", "Holly", "Larch", "Maple", "Oak", "Rowan",
    "Willow", "Yew", "Brook", "Hill", "Meadow", "Ridge", "Vale", "Heath", "Moor", "Field",
)
PLACE_ENDINGS = ("field", "wood", "bury", "ford", "ley", "combe", "hurst", "ton", "mere", "dale")

LOCAL_AUTHORITIES = ("Surrey", "Hampshire", "West Sussex", "Bracknell Forest", "Wokingham", "Reading")

POSTCODE_AREAS = ("GU", "RG", "SO", "PO", "KT", "RH")
