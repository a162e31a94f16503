// A small driver for the axis client SDK (SDKVXP 2.0.1) and the reference edXML library
// (EdXML102), used by tests/interop. It reads one JSON command per line on stdin and
// answers one JSON object per line on stdout; everything it does goes through the
// SDK's and the library's own classes. The SDK prints to System.out, so the protocol
// keeps the original stdout and sends System.out to stderr.
import com.vnpt.xml.base.Content;
import com.vnpt.xml.base.attachment.Attachment;
import com.vnpt.xml.base.header.Bussiness;
import com.vnpt.xml.base.header.BussinessDocumentInfo;
import com.vnpt.xml.base.header.Header;
import com.vnpt.xml.base.header.OrganIdList;
import com.vnpt.xml.base.header.Organization;
import com.vnpt.xml.base.header.Receiver;
import com.vnpt.xml.base.header.ReceiverList;
import com.vnpt.xml.base.header.ReplacementInfo;
import com.vnpt.xml.base.header.ReplacementInfoList;
import com.vnpt.xml.base.header.ResponseFor;
import com.vnpt.xml.base.header.SignerInfo;
import com.vnpt.xml.base.header.StaffInfo;
import com.vnpt.xml.base.header.TraceHeader;
import com.vnpt.xml.base.header.TraceHeaderList;
import com.vnpt.xml.ed.Ed;
import com.vnpt.xml.ed.builder.EdXmlBuilder;
import com.vnpt.xml.ed.header.Code;
import com.vnpt.xml.ed.header.DocumentType;
import com.vnpt.xml.ed.header.MessageHeader;
import com.vnpt.xml.ed.header.OtherInfo;
import com.vnpt.xml.ed.header.PromulgationInfo;
import com.vnpt.xml.ed.parser.EdXmlParser;
import com.vnpt.xml.status.Status;
import com.vnpt.xml.status.builder.StatusXmlBuilder;
import com.vnpt.xml.status.header.MessageStatus;
import com.vnpt.xml.status.parser.StatusXmlParser;
import com.vpcp.services.AgencyServiceImp;
import com.vpcp.services.KnobstickServiceImp;
import com.vpcp.services.VnptProperties;
import com.vpcp.services.model.Agency;
import com.vpcp.services.model.BasicResult;
import com.vpcp.services.model.CountReceiveEdoc;
import com.vpcp.services.model.GetAgenciesResult;
import com.vpcp.services.model.GetEdocResult;
import com.vpcp.services.model.GetReceivedEdocResult;
import com.vpcp.services.model.GetSendEdocResult;
import com.vpcp.services.model.GetSynchronizeUnit;
import com.vpcp.services.model.Knobstick;
import com.vpcp.services.model.SendEdocResult;
import com.vpcp.services.model.StatusResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

public class AxisHarness {
    private static String s(Object x) {
        return x == null ? "" : x.toString();
    }

    private static final Map<String, KnobstickServiceImp> docs = new HashMap<>();
    private static final Map<String, AgencyServiceImp> agencies = new HashMap<>();

    public static void main(String[] args) throws Exception {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        System.setOut(new PrintStream(System.err, true, "UTF-8"));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            JSONObject reply;
            try {
                reply = handle(new JSONObject(line));
                reply.put("ok", true);
            } catch (Throwable e) {
                reply = new JSONObject();
                reply.put("ok", false);
                reply.put("error", e.getClass().getName() + ": " + e.getMessage());
            }
            out.println(reply.toString());
        }
    }

    private static JSONObject handle(JSONObject c) throws Exception {
        String op = c.getString("op");
        switch (op) {
            case "client": return client(c);
            case "sendEdoc": return sendEdoc(c);
            case "getReceivedEdocList": return received(c);
            case "getEdoc": return getEdoc(c);
            case "updateStatus": return basic(docs(c).updateStatus(params(c).toString()));
            case "getSentEdocList": return sent(c);
            case "countReceiveEdoc": return count(docs(c).countReceiveEdoc(params(c).toString()));
            case "countReceiveStatus": return count(docs(c).countReceiveStatus(params(c).toString()));
            case "getAgenciesList": return agencyList(c);
            case "getAgenciesListQD20": return agencies(c.getString("client"), "qd20", c);
            case "getSynchronizeUnit": {
                GetSynchronizeUnit r = agencies.get(c.getString("client")).getSynchronizeUnit(params(c).toString());
                JSONObject o = basic(r);
                o.put("count", r.getUnitSynchronize() == null ? 0 : r.getUnitSynchronize().size());
                return o;
            }
            case "registerAgency": return basic(agencies.get(c.getString("client"))
                    .registerAgency(params(c).toString(), c.getJSONObject("body").toString()));
            case "deleteAgency": return basic(agencies.get(c.getString("client")).deleteAgency(params(c).toString()));
            case "downloadEdoc": {
                GetEdocResult r = docs(c).downloadEdoc(params(c).toString());
                JSONObject o = basic(r);
                o.put("filePath", s(r.getFilePath()));
                return o;
            }
            case "buildEdoc": return buildEdoc(c);
            case "buildStatus": return buildStatus(c);
            case "parseEdoc": return parseEdoc(c);
            case "parseStatus": return parseStatus(c);
            default: throw new IllegalArgumentException("unknown op " + op);
        }
    }

    // ---- the SDK ---------------------------------------------------------------------------
    private static JSONObject client(JSONObject c) {
        VnptProperties p = new VnptProperties(c.getString("endpoint"), c.getString("systemId"),
                c.getString("secret"), c.getString("store"), 4, 3);
        docs.put(c.getString("name"), new KnobstickServiceImp(p));
        agencies.put(c.getString("name"), new AgencyServiceImp(p));
        return new JSONObject();
    }

    private static KnobstickServiceImp docs(JSONObject c) {
        KnobstickServiceImp k = docs.get(c.getString("client"));
        if (k == null) throw new IllegalArgumentException("no client " + c.getString("client"));
        return k;
    }

    private static JSONObject params(JSONObject c) {
        return c.has("params") ? c.getJSONObject("params") : new JSONObject();
    }

    private static JSONObject basic(BasicResult r) {
        JSONObject o = new JSONObject();
        o.put("status", s(r.getStatus()));
        o.put("errorCode", s(r.getErrorCode()));
        o.put("errorDesc", s(r.getErrorDesc()));
        return o;
    }

    private static JSONObject sendEdoc(JSONObject c) {
        SendEdocResult r = docs(c).sendEdoc(params(c).toString(), c.getString("file"));
        JSONObject o = basic(r);
        o.put("docId", s(r.getDocID()));
        return o;
    }

    private static JSONObject received(JSONObject c) {
        GetReceivedEdocResult r = docs(c).getReceivedEdocList(params(c).toString());
        JSONObject o = basic(r);
        JSONArray items = new JSONArray();
        if (r.getKnobsticks() != null) {
            for (Knobstick k : r.getKnobsticks()) {
                JSONObject i = new JSONObject();
                i.put("id", s(k.getId()));
                i.put("from", s(k.getFrom()));
                i.put("to", s(k.getTo()));
                i.put("messageType", s(k.getMessageType()));
                i.put("serviceType", s(k.getServiceType()));
                i.put("status", s(k.getStatus()));
                i.put("statusDesc", s(k.getStatusDesc()));
                i.put("createdTime", s(k.getCreatedTime()));
                items.put(i);
            }
        }
        o.put("items", items);
        return o;
    }

    private static JSONObject getEdoc(JSONObject c) {
        GetEdocResult r = docs(c).getEdoc(params(c).toString());
        JSONObject o = basic(r);
        o.put("filePath", s(r.getFilePath()));
        return o;
    }

    private static JSONObject sent(JSONObject c) {
        GetSendEdocResult r = docs(c).getSentEdocList(params(c).toString());
        JSONObject o = basic(r);
        JSONArray rows = new JSONArray();
        if (r.getStatusResult() != null) {
            for (StatusResult s : r.getStatusResult()) {
                JSONObject i = new JSONObject();
                i.put("senderDocId", s(s.getSenderDocId()));
                i.put("receiverDocId", s(s.getReceiverDocId()));
                i.put("fromCode", s(s.getFromCode()));
                i.put("toCode", s(s.getToCode()));
                i.put("title", s(s.getTitle()));
                i.put("notation", s(s.getNotation()));
                i.put("receiveStatus", s(s.getReceiveStatus()));
                i.put("messageType", s(s.getMessageType()));
                rows.put(i);
            }
        }
        o.put("rows", rows);
        return o;
    }

    private static JSONObject count(CountReceiveEdoc r) {
        JSONObject o = basic(r);
        o.put("count", r.getCount());
        return o;
    }

    private static JSONObject agencyList(JSONObject c) {
        return agencies(c.getString("client"), "list", c);
    }

    private static JSONObject agencies(String client, String which, JSONObject c) {
        AgencyServiceImp a = agencies.get(client);
        GetAgenciesResult r = which.equals("qd20") ? a.getAgenciesListQD20(params(c).toString())
                : a.getAgenciesList(params(c).toString());
        JSONObject o = basic(r);
        JSONArray codes = new JSONArray();
        if (r.getAgencies() != null) {
            for (Agency g : r.getAgencies()) codes.put(s(g.getCode()));
        }
        o.put("codes", codes);
        return o;
    }

    // ---- the reference edXML library ---------------------------------------------------------
    private static final String DATE = "yyyy/MM/dd";
    private static final String TIME = "yyyy/MM/dd HH:mm:ss";

    private static Date date(JSONObject c, String key) throws Exception {
        return c.has(key) && !c.getString(key).isEmpty() ? new SimpleDateFormat(DATE).parse(c.getString(key)) : null;
    }

    private static String fmt(Date d, String pattern) {
        return d == null ? "" : new SimpleDateFormat(pattern).format(d);
    }

    private static Organization org(JSONObject o) {
        Organization g = new Organization();
        g.setOrganId(o.getString("organId"));
        g.setOrganName(o.optString("organName", ""));
        g.setOrganizationInCharge(o.optString("organizationInCharge", ""));
        g.setOrganAdd(o.optString("organAdd", ""));
        g.setEmail(o.optString("email", ""));
        g.setTelephone(o.optString("telephone", ""));
        return g;
    }

    private static JSONObject orgJson(Organization g) {
        JSONObject o = new JSONObject();
        if (g == null) return o;
        o.put("organId", s(g.getOrganId()));
        o.put("organName", s(g.getOrganName()));
        o.put("organizationInCharge", s(g.getOrganizationInCharge()));
        o.put("organAdd", s(g.getOrganAdd()));
        o.put("email", s(g.getEmail()));
        o.put("telephone", s(g.getTelephone()));
        return o;
    }

    private static StaffInfo staff(JSONObject s) {
        StaffInfo st = new StaffInfo();
        st.setDepartment(s.optString("department", ""));
        st.setStaff(s.optString("staff", ""));
        st.setMobile(s.optString("mobile", ""));
        st.setEmail(s.optString("email", ""));
        return st;
    }

    private static JSONObject staffJson(StaffInfo st) {
        JSONObject o = new JSONObject();
        if (st == null) return o;
        o.put("department", s(st.getDepartment()));
        o.put("staff", s(st.getStaff()));
        o.put("mobile", s(st.getMobile()));
        o.put("email", s(st.getEmail()));
        return o;
    }

    private static JSONObject buildEdoc(JSONObject c) throws Exception {
        MessageHeader mh = new MessageHeader();
        mh.setFrom(org(c.getJSONObject("from")));
        JSONArray to = c.getJSONArray("to");
        for (int i = 0; i < to.length(); i++) mh.addTo(org(to.getJSONObject(i)));
        mh.setDocumentId(c.getString("documentId"));
        mh.setCode(new Code(c.getString("codeNumber"), c.getString("codeNotation")));
        mh.setPromulgationInfo(new PromulgationInfo(c.optString("place", ""), date(c, "promulgationDate")));
        mh.setDocumentType(new DocumentType(c.optInt("type", 1), c.optString("typeName", "Công văn")));
        mh.setSubject(c.optString("subject", ""));
        mh.setContent(c.optString("content", ""));
        JSONObject si = c.optJSONObject("signer");
        if (si != null) mh.setSignerInfo(new SignerInfo(si.optString("competence", ""),
                si.optString("position", ""), si.optString("fullName", "")));
        if (date(c, "dueDate") != null) mh.setDueDate(date(c, "dueDate"));
        JSONArray places = c.optJSONArray("toPlaces");
        if (places != null) for (int i = 0; i < places.length(); i++) mh.addToPlace(places.getString(i));
        mh.setOtherInfo(new OtherInfo(c.optInt("priority", 0), "", "", c.optInt("promulgationAmount", 1),
                c.optInt("pageAmount", 1)));
        mh.setSteeringType(c.optInt("steeringType", 1));
        TraceHeaderList thl = new TraceHeaderList();
        thl.addTraceHeader(new TraceHeader(c.getJSONObject("from").getString("organId"), new Date()));
        JSONObject b = c.optJSONObject("business");
        if (b != null) {
            Bussiness bu = new Bussiness();
            bu.setBussinessDocType(s(b.getInt("type")));
            bu.setBussinessDocReason(b.optString("reason", ""));
            bu.setDocumentId(b.optString("documentId", ""));
            bu.setPaper(s(b.optInt("paper", 0)));
            JSONArray rcv = b.optJSONArray("receivers");
            if (rcv != null) {
                BussinessDocumentInfo info = new BussinessDocumentInfo();
                info.setdocumentInfo("0");
                info.setdocumentReceiver("1");
                ReceiverList rl = new ReceiverList();
                for (int i = 0; i < rcv.length(); i++) {
                    Receiver r = new Receiver();
                    r.setReceiverType(s(rcv.getJSONObject(i).getInt("type")));
                    r.setOrganId(rcv.getJSONObject(i).getString("organId"));
                    rl.addReceiver(r);
                }
                info.addreceiverList(rl);
                bu.addBussinessDocumentInfo(info);
            }
            JSONArray rep = b.optJSONArray("replacements");
            if (rep != null) {
                ReplacementInfoList ril = new ReplacementInfoList();
                for (int i = 0; i < rep.length(); i++) {
                    JSONObject r = rep.getJSONObject(i);
                    OrganIdList ol = new OrganIdList();
                    JSONArray ids = r.getJSONArray("organIds");
                    for (int j = 0; j < ids.length(); j++) ol.addOrganId(ids.getString(j));
                    ril.addReplacementInfo(new ReplacementInfo(r.getString("documentId"), ol));
                }
                bu.addReplacementInfoList(ril);
            }
            if (b.has("staff")) bu.addStaffInfo(staff(b.getJSONObject("staff")));
            thl.setBussiness(bu);
        }
        Ed ed = new Ed(new Header(mh, thl), new ArrayList<>());
        JSONArray atts = c.optJSONArray("attachments");
        if (atts != null) {
            for (int i = 0; i < atts.length(); i++) {
                JSONObject a = atts.getJSONObject(i);
                Attachment at = new Attachment(a.optString("contentType", "application/pdf"),
                        a.getString("name"), a.optString("description", ""), new File(a.getString("file")));
                ed.addAttachment(at);
            }
        }
        Content content = EdXmlBuilder.build(ed, c.getString("out"));
        JSONObject o = new JSONObject();
        o.put("file", content.getContent().getAbsolutePath());
        o.put("hash", s(content.getHashCode()));
        return o;
    }

    private static JSONObject buildStatus(JSONObject c) throws Exception {
        JSONObject rf = c.getJSONObject("responseFor");
        ResponseFor r = new ResponseFor(rf.getString("organId"), rf.optString("code", ""),
                date(rf, "promulgationDate"), rf.getString("documentId"));
        MessageStatus ms = new MessageStatus(r, org(c.getJSONObject("from")), c.getString("statusCode"),
                c.optString("description", ""), c.has("staff") ? staff(c.getJSONObject("staff")) : null);
        ms.setTimestamp(new Date());
        TraceHeaderList thl = new TraceHeaderList();
        thl.addTraceHeader(new TraceHeader(c.getJSONObject("from").getString("organId"), new Date()));
        Content content = StatusXmlBuilder.build(new Status(new Header(ms, thl)), c.getString("out"));
        JSONObject o = new JSONObject();
        o.put("file", content.getContent().getAbsolutePath());
        o.put("hash", s(content.getHashCode()));
        return o;
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[65536];
        int n;
        long size = 0;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
            size += n;
        }
        StringBuilder sb = new StringBuilder();
        for (byte x : md.digest()) sb.append(String.format("%02x", x));
        return sb.toString() + ":" + size;
    }

    private static JSONObject parseEdoc(JSONObject c) throws Exception {
        Ed ed;
        try (InputStream in = new FileInputStream(c.getString("file"))) {
            ed = EdXmlParser.getInstance().parse(in);
        }
        MessageHeader mh = (MessageHeader) ed.getHeader().getMessageHeader();
        JSONObject o = new JSONObject();
        o.put("from", orgJson(mh.getFrom()));
        JSONArray to = new JSONArray();
        if (mh.getToes() != null) for (Organization g : mh.getToes()) to.put(orgJson(g));
        o.put("to", to);
        o.put("documentId", s(mh.getDocumentId()));
        o.put("codeNumber", mh.getCode() == null ? "" : s(mh.getCode().getCodeNumber()));
        o.put("codeNotation", mh.getCode() == null ? "" : s(mh.getCode().getCodeNotation()));
        PromulgationInfo pi = mh.getPromulgationInfo();
        o.put("place", pi == null ? "" : s(pi.getPlace()));
        o.put("promulgationDate", pi == null ? "" : fmt(pi.getPromulgationDate(), DATE));
        DocumentType dt = mh.getDocumentType();
        o.put("type", dt == null ? -1 : dt.getType());
        o.put("typeName", dt == null ? "" : s(dt.getTypeName()));
        o.put("subject", s(mh.getSubject()));
        o.put("content", s(mh.getContent()));
        SignerInfo si = mh.getSignerInfo();
        JSONObject signer = new JSONObject();
        if (si != null) {
            signer.put("competence", s(si.getCompetence()));
            signer.put("position", s(si.getPosition()));
            signer.put("fullName", s(si.getFullName()));
        }
        o.put("signer", signer);
        o.put("dueDate", fmt(mh.getDueDate(), DATE));
        o.put("toPlaces", new JSONArray(mh.getToPlaces() == null ? new ArrayList<String>() : mh.getToPlaces()));
        OtherInfo oi = mh.getOtherInfo();
        o.put("priority", oi == null ? -1 : oi.getPriority());
        o.put("pageAmount", oi == null ? -1 : oi.getPageAmount());
        o.put("promulgationAmount", oi == null ? -1 : oi.getPromulgationAmount());
        o.put("steeringType", mh.getSteeringType());
        TraceHeaderList thl = ed.getHeader().getTraceHeaderList();
        JSONObject bj = new JSONObject();
        if (thl != null && thl.getBussiness() != null) {
            Bussiness b = thl.getBussiness();
            bj.put("type", s(b.getBussinessDocType()));
            bj.put("reason", s(b.getBussinessDocReason()));
            bj.put("documentId", s(b.getDocumentId()));
        }
        o.put("business", bj);
        JSONArray atts = new JSONArray();
        if (ed.getAttachments() != null) {
            for (Attachment a : ed.getAttachments()) {
                JSONObject aj = new JSONObject();
                aj.put("name", s(a.getName()));
                aj.put("contentType", s(a.getContentType()));
                aj.put("description", s(a.getDescription()));
                try (InputStream in = a.getInputStream()) {
                    String[] h = sha256(in).split(":");
                    aj.put("sha256", h[0]);
                    aj.put("size", Long.parseLong(h[1]));
                }
                atts.put(aj);
            }
        }
        o.put("attachments", atts);
        return o;
    }

    private static JSONObject parseStatus(JSONObject c) throws Exception {
        Status st;
        try (InputStream in = new FileInputStream(c.getString("file"))) {
            st = StatusXmlParser.parse(in);
        }
        JSONObject o = new JSONObject();
        Header h = st.getHeader();
        MessageStatus ms = h == null ? null : (MessageStatus) h.getMessageHeader();
        if (ms == null || ms.getStatusCode() == null) {
            o.put("empty", true);
            return o;
        }
        o.put("empty", false);
        o.put("from", orgJson(ms.getFrom()));
        ResponseFor rf = ms.getResponseFor();
        JSONObject rj = new JSONObject();
        if (rf != null) {
            rj.put("organId", s(rf.getOrganId()));
            rj.put("code", s(rf.getCode()));
            rj.put("documentId", s(rf.getDocumentId()));
            rj.put("promulgationDate", fmt(rf.getPromulgationDate(), DATE));
        }
        o.put("responseFor", rj);
        o.put("statusCode", s(ms.getStatusCode()));
        o.put("description", s(ms.getDescription()));
        o.put("timestamp", fmt(ms.getTimestamp(), TIME));
        o.put("staff", staffJson(ms.getStaffInfo()));
        return o;
    }
}
