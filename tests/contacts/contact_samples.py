"""Small realistic contact exports, written as the apps write them."""

IPHONE_VCF = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\n"
    "N:Lee;Sarah;J.;Dr.;\r\n"
    "FN:Dr. Sarah J. Lee\r\n"
    "NICKNAME:Sally\r\n"
    "ORG:Wake County Schools;\r\n"
    "EMAIL;type=INTERNET;type=HOME;type=pref:Sarah.Lee@Example.com\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:(919) 555-0101\r\n"
    "TEL;type=HOME;type=VOICE:919.555.0101\r\n"
    "item1.TEL:+1 919 555 0102\r\n"
    "item1.X-ABLabel:_$!<Other>!$_\r\n"
    "item2.ADR;type=HOME;type=pref:;;12 Oak St;Raleigh;NC;27601;United States\r\n"
    "item2.X-ABADR:us\r\n"
    "BDAY:1985-04-12\r\n"
    "item3.X-ABRELATEDNAMES:Mom\r\n"
    "item3.X-ABLabel:_$!<Mother>!$_\r\n"
    "NOTE:met at the PTA; likes long notes that are folded by the phone onto a\r\n"
    "  second line\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:;Mom;;;\r\n"
    "FN:Mom\r\n"
    "TEL;type=CELL:9195550103\r\n"
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-06-02\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:work;Dave;;;\r\n"
    "FN:Dave work\r\n"
    "TEL;TYPE=cell,voice:919-555-0104\r\n"
    "TEL;TYPE=WORK:12\r\n"
    "END:VCARD\r\n"
)

ANDROID_VCF = (
    "BEGIN:VCARD\n"
    "VERSION:2.1\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:N=C3=BA=C3=B1ez;Jos=C3=A9;;;\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 N=C3=BA=C3=B1ez =F0=9F=8E=\n"
    "=89\n"
    "TEL;CELL;PREF:+19195550201\n"
    "TEL;HOME:919-555-0201\n"
    "EMAIL;HOME:jose@example.org\n"
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Pepe;1;;;;;;;;;;;;;\n"
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Ana N\\u00fa\\u00f1ez;14;;;;;;;;;;;;;\n"
    "BDAY:19700101\n"
    "END:VCARD\n"
    "BEGIN:VCARD\n"
    "VERSION:3.0\n"
    "FN:Jen from church\n"
    "N:;Jen from church;;;\n"
    "TEL;TYPE=CELL:919 555 0202\n"
    "CATEGORIES:myContacts,starred\n"
    "BDAY:--04-12\n"
    "END:VCARD\n"
)

VCARD4 = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "FN:Maria de la Cruz\r\n"
    "N:de la Cruz;Maria;;;\r\n"
    "TEL;VALUE=uri;TYPE=\"cell,voice\";PREF=1:tel:+1-919-555-0301\r\n"
    "RELATED;TYPE=spouse;VALUE=text:Juan de la Cruz\r\n"
    "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n"
    "BDAY:--0412\r\n"
    "END:VCARD\r\n"
)

GOOGLE_CSV = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,"
    "Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,"
    "Organization Department,Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Address 1 - Label,"
    "Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - PO Box,"
    "Address 1 - Region,Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address,"
    "Relation 1 - Label,Relation 1 - Value\n"
    "Sean,,O'Neil,,,,,Jr.,,,Acme,,,1990-11-03,,,* myContacts ::: * starred ::: Soccer,* Home,"
    "sean@example.com ::: SEAN.ONEIL@work.example.com,Mobile,+1 919-555-0401 ::: 919 555 0402,"
    "Work,(919) 555-0401,Home,\"1 Elm St, Durham, NC\",1 Elm St,Durham,,North Carolina,27701,US,,"
    "Spouse,Kate O'Neil\n"
    "Aunt Carol,,,,,,,,,,,,,--12-25,,,* myContacts,,,Mobile,919-555-0403,,,,,,,,,,,,,\n"
    ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"
)

GOOGLE_LEGACY_CSV = (
    "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,"
    "Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,"
    "Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,"
    "Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,"
    "Phone 1 - Type,Phone 1 - Value\n"
    "Mike (neighbor),Mike,,,,,,,,,,,,,,,,,,,,,,,,,,,* My Contacts ::: * Starred,* ,"
    "mike@example.net,Mobile,919-555-0501\n"
    "\"Lee, Sarah\",,,,,,,,,,,,,,1985-04-12,,,,,,,,,,,,,,* My Contacts,,,Mobile,919-555-0101\n"
)

OUTLOOK_CSV = (
    "\ufeffFirst Name,Middle Name,Last Name,Title,Suffix,Nickname,Given Yomi,Surname Yomi,"
    "E-mail Address,E-mail 2 Address,E-mail 3 Address,Home Phone,Home Phone 2,Business Phone,"
    "Business Phone 2,Mobile Phone,Car Phone,Other Phone,Primary Phone,Company,Home Street,"
    "Home City,Home State,Home Postal Code,Home Country/Region,Spouse,Birthday,Anniversary,Notes,"
    "Categories\r\n"
    "Renée,,Côté,Ms.,,,,,renee@example.com,,,919-555-0601,,,,919-555-0602,,,,,5 Pine Rd,Cary,NC,"
    "27511-1234,United States,,4/12/1985,0/0/00,,Church;Favorites\r\n"
    "Bob 🎉,,,,,,,,,,,,,,,9195550603,,,,,,,,,,,0/0/00,0/0/00,,\r\n"
)

FACEBOOK_JSON = (
    '{\n  "friends_v2": [\n'
    '    {"name": "Ren\\u00c3\\u00a9e C\\u00c3\\u00b4t\\u00c3\\u00a9", "timestamp": 1500000000},\n'
    '    {"name": "Bob Smith", "timestamp": 1600000000},\n'
    '    {"name": "Zo\\u00eb Plain", "timestamp": 1650000000}\n'
    "  ]\n}\n"
)
