<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en_GB">
<context>
    <name>Desk</name>
    <message>
        <location filename="../../ui/detail.py" line="45"/>
        <source>Choose a document in the list.</source>
        <translation>Chọn một văn bản trong danh sách.</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="55"/>
        <source>Save a copy…</source>
        <translation>Lưu bản sao…</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="76"/>
        <source>Details</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="77"/>
        <source>Document</source>
        <translation>Văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="78"/>
        <source>Signatures</source>
        <translation>Chữ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="79"/>
        <source>Attachments</source>
        <translation>Tệp đính kèm</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="80"/>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="199"/>
        <source>Save a copy</source>
        <translation>Lưu bản sao</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="33"/>
        <source>Lead</source>
        <translation>Chủ trì</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="33"/>
        <source>Support</source>
        <translation>Phối hợp</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="34"/>
        <source>For information</source>
        <translation>Để biết</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="65"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="65"/>
        <source>Who</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="65"/>
        <source>What</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="65"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="68"/>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="68"/>
        <source>Assignee</source>
        <translation>Người/đơn vị xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="68"/>
        <source>Deadline</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="68"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="68"/>
        <source>Progress</source>
        <translation>Tiến độ</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="72"/>
        <source>Assignments</source>
        <translation>Phân công</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="129"/>
        <source>Number and notation</source>
        <translation>Số, ký hiệu</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="130"/>
        <source>Incoming number</source>
        <translation>Số đến</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="131"/>
        <source>Type</source>
        <translation>Loại văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="132"/>
        <source>Subject</source>
        <translation>Trích yếu</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="133"/>
        <source>Issued by</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="134"/>
        <source>Date</source>
        <translation>Ngày văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="135"/>
        <source>Signed by</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="136"/>
        <source>Urgency</source>
        <translation>Độ khẩn</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="137"/>
        <source>Confidentiality</source>
        <translation>Độ mật</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="138"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="140"/>
        <source>Pages</source>
        <translation>Số trang</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="141"/>
        <source>Recipients</source>
        <translation>Nơi nhận</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="136"/>
        <source>Normal</source>
        <translation>Thường</translation>
    </message>
    <message>
        <location filename="../../ui/detail.py" line="205"/>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/common.py" line="45"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/common.py" line="70"/>
        <source>Progress:</source>
        <translation>Tiến độ:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/common.py" line="80"/>
        <source>Please write something first.</source>
        <translation>Hãy nhập nội dung trước.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="68"/>
        <source>Import incoming documents</source>
        <translation>Nhập văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="70"/>
        <source>Drop PDF files here</source>
        <translation>Kéo thả tệp PDF vào đây</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="71"/>
        <source>Drop PDF files here, or choose them. Fields are filled in from each PDF's text.</source>
        <translation>Kéo thả tệp PDF vào đây hoặc chọn tệp. Các trường thông tin được điền sẵn từ nội dung PDF.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="75"/>
        <source>Choose files…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="77"/>
        <source>Remove</source>
        <translation>Bỏ</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="79"/>
        <source>Register each one right after import</source>
        <translation>Vào sổ từng văn bản ngay sau khi nhập</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="95"/>
        <source>Choose PDF files</source>
        <translation>Chọn tệp PDF</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="168"/>
        <source>Done</source>
        <translation>Hoàn thành</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="91"/>
        <source>Import</source>
        <translation>Nhập văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="107"/>
        <source>Add at least one PDF file.</source>
        <translation>Hãy thêm ít nhất một tệp PDF.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="103"/>
        <source>Not PDF files, left out: {names}</source>
        <translation>Không phải tệp PDF, đã bỏ qua: {names}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="136"/>
        <source>Importing {name} ({i} of {n})…</source>
        <translation>Đang nhập {name} ({i}/{n})…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/import_dialog.py" line="160"/>
        <source>Reading the text of {name}: page {done} of {total}</source>
        <translation>Đang đọc chữ của {name}: trang {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="49"/>
        <source>Unlock Desk's key file</source>
        <translation>Mở khóa tệp khóa của Desk</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="63"/>
        <source>Passphrase</source>
        <translation>Mật khẩu mở khóa</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="66"/>
        <source>Passphrase again</source>
        <translation>Nhập lại mật khẩu mở khóa</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="71"/>
        <source>A wrong passphrase is never tried again by itself.</source>
        <translation>Mật khẩu sai không bao giờ được tự động thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="73"/>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="54"/>
        <source>This computer has no secure keyring of its own, so Desk keeps the exchange secret in an encrypted file. Choose the passphrase that will lock it; it is asked once per session and kept in memory only until Desk closes.</source>
        <translation>Máy này không có kho khóa an toàn của hệ điều hành, nên Desk giữ mật khẩu trục liên thông trong một tệp mã hóa. Hãy chọn mật khẩu để khóa tệp đó; mật khẩu được hỏi một lần mỗi phiên và chỉ giữ trong bộ nhớ cho đến khi đóng Desk.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="57"/>
        <source>This computer has no secure keyring of its own, so Desk keeps the exchange secret in an encrypted file. Enter its passphrase; it is asked once per session and kept in memory only until Desk closes.</source>
        <translation>Máy này không có kho khóa an toàn của hệ điều hành, nên Desk giữ mật khẩu trục liên thông trong một tệp mã hóa. Hãy nhập mật khẩu mở tệp đó; mật khẩu được hỏi một lần mỗi phiên và chỉ giữ trong bộ nhớ cho đến khi đóng Desk.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="85"/>
        <source>Passphrase:</source>
        <translation>Mật khẩu mở khóa:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="108"/>
        <source>Enter the passphrase.</source>
        <translation>Hãy nhập mật khẩu mở khóa.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="111"/>
        <source>The two passphrases differ; type them again.</source>
        <translation>Hai lần nhập mật khẩu không giống nhau; hãy nhập lại.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="51"/>
        <source>The exchange secret is kept in: {where}.</source>
        <translation>Mật khẩu trục liên thông được lưu tại: {where}.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/passphrase_dialog.py" line="88"/>
        <source>The same passphrase again:</source>
        <translation>Nhập lại đúng mật khẩu đó:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="43"/>
        <source>Register incoming document</source>
        <translation>Vào sổ văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="97"/>
        <source>Type:</source>
        <translation>Loại văn bản:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="98"/>
        <source>Number:</source>
        <translation>Số:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="101"/>
        <source>Notation:</source>
        <translation>Ký hiệu:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="102"/>
        <source>Issued by:</source>
        <translation>Cơ quan ban hành:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="103"/>
        <source>Organisation ID:</source>
        <translation>Mã định danh:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="104"/>
        <source>Date:</source>
        <translation>Ngày văn bản:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="107"/>
        <source>Subject:</source>
        <translation>Trích yếu:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="108"/>
        <source>Signer's position:</source>
        <translation>Chức vụ người ký:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="109"/>
        <source>Signer:</source>
        <translation>Người ký:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="110"/>
        <source>Urgency:</source>
        <translation>Độ khẩn:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="111"/>
        <source>Confidentiality:</source>
        <translation>Độ mật:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="112"/>
        <source>Pages:</source>
        <translation>Số trang:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="114"/>
        <source>Note:</source>
        <translation>Ghi chú:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="134"/>
        <source>PDF text</source>
        <translation>lớp chữ PDF</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="134"/>
        <source>OCR</source>
        <translation>nhận dạng chữ (OCR)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="134"/>
        <source>signature appearance</source>
        <translation>hình chữ ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="135"/>
        <source>signing certificate</source>
        <translation>chứng thư ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="135"/>
        <source>file name</source>
        <translation>tên tệp</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="67"/>
        <source>Secret</source>
        <translation>Mật</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="67"/>
        <source>Top secret</source>
        <translation>Tối mật</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="67"/>
        <source>Ultra secret</source>
        <translation>Tuyệt mật</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="89"/>
        <source>Number written by hand: the clerk checks it on the document.</source>
        <translation>Số viết tay — văn thư kiểm tra lại trên văn bản.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="90"/>
        <source>Date probably written by hand: the clerk checks it on the document.</source>
        <translation>Ngày có thể viết tay — văn thư kiểm tra lại trên văn bản.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="119"/>
        <source>Register</source>
        <translation>Vào sổ</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="152"/>
        <source>Check the fields in yellow against the document: they were read automatically and may be wrong.</source>
        <translation>Hãy đối chiếu các ô tô vàng với văn bản: chúng được đọc tự động và có thể sai.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="194"/>
        <source>Possible duplicate of an earlier document:</source>
        <translation>Có thể trùng với văn bản đã có:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="203"/>
        <source>The subject must not be empty.</source>
        <translation>Trích yếu không được để trống.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="145"/>
        <source>Read automatically, not sure ({percent}% from {source}): check it against the document.</source>
        <translation>Đọc tự động, chưa chắc chắn ({percent}%, từ {source}): hãy đối chiếu với văn bản.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/register_dialog.py" line="149"/>
        <source>Not found on the document: fill it in.</source>
        <translation>Không tìm thấy trên văn bản: hãy nhập vào.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="34"/>
        <source>Present to a leader</source>
        <translation>Trình lãnh đạo</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="41"/>
        <source>Leader:</source>
        <translation>Lãnh đạo:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="76"/>
        <source>Assign for handling</source>
        <translation>Phân công xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="105"/>
        <source>Lead (chủ trì):</source>
        <translation>Chủ trì:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="106"/>
        <source>Support (phối hợp):</source>
        <translation>Phối hợp:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="107"/>
        <source>For information (để biết):</source>
        <translation>Để biết:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="108"/>
        <source>Deadline:</source>
        <translation>Hạn xử lý:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="45"/>
        <source>Present</source>
        <translation>Trình</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="86"/>
        <source>working days</source>
        <translation>ngày làm việc</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="102"/>
        <source>→ deadline</source>
        <translation>→ hạn</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="113"/>
        <source>Assign</source>
        <translation>Phân công</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="165"/>
        <source>Choose who leads the handling.</source>
        <translation>Hãy chọn người hoặc đơn vị chủ trì.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/routing_dialogs.py" line="68"/>
        <source>Unit: {name}</source>
        <translation>Đơn vị: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="55"/>
        <source>Organisation</source>
        <translation>Cơ quan</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="92"/>
        <source>People on this PC</source>
        <translation>Người dùng trên máy này</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="166"/>
        <source>Exchange server</source>
        <translation>Trục liên thông</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="216"/>
        <source>Signing</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="325"/>
        <source>Trusted certificates</source>
        <translation>Chứng thư tin cậy</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="414"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="72"/>
        <source>Organisation ID (QCVN 102):</source>
        <translation>Mã định danh (QCVN 102):</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="73"/>
        <source>Name:</source>
        <translation>Tên:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="74"/>
        <source>Place name on documents:</source>
        <translation>Địa danh ghi trên văn bản:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="75"/>
        <source>Notation (e.g. UBND):</source>
        <translation>Chữ viết tắt (ví dụ UBND):</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="100"/>
        <source>Add person</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="106"/>
        <source>User name:</source>
        <translation>Tên đăng nhập:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="107"/>
        <source>Full name:</source>
        <translation>Họ và tên:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="108"/>
        <source>Position:</source>
        <translation>Chức vụ:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="109"/>
        <source>Roles:</source>
        <translation>Vai trò:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="172"/>
        <source>unchanged</source>
        <translation>giữ nguyên</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="182"/>
        <source>Server address:</source>
        <translation>Địa chỉ máy chủ:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="183"/>
        <source>Agency ID:</source>
        <translation>Mã cơ quan trên trục:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="184"/>
        <source>Secret:</source>
        <translation>Mật khẩu kết nối:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="221"/>
        <source>Add token library…</source>
        <translation>Thêm thư viện token…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="229"/>
        <source>default</source>
        <translation>mặc định</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="231"/>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="240"/>
        <source>Add a timestamp and revocation data when signing (needs a network)</source>
        <translation>Gắn dấu thời gian và dữ liệu thu hồi khi ký (cần mạng)</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="256"/>
        <source>Token libraries (PKCS#11):</source>
        <translation>Thư viện token (PKCS#11):</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="258"/>
        <source>Found on this PC:</source>
        <translation>Tìm thấy trên máy:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="259"/>
        <source>Timestamp server (TSA):</source>
        <translation>Máy chủ dấu thời gian (TSA):</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="260"/>
        <source>More trusted certificates (folder):</source>
        <translation>Thư mục chứng thư tin cậy bổ sung:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="261"/>
        <source>Signature image:</source>
        <translation>Ảnh chữ ký:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="262"/>
        <source>Seal image (clerk):</source>
        <translation>Ảnh con dấu (văn thư):</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="276"/>
        <source>Token library</source>
        <translation>Thư viện token</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="281"/>
        <source>Trusted root certificates</source>
        <translation>Chứng thư gốc tin cậy</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="286"/>
        <source>Signature image</source>
        <translation>Ảnh chữ ký</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="329"/>
        <source>Import certificate…</source>
        <translation>Nhập chứng thư…</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="338"/>
        <source>Signatures are confirmed up to these certificates. Desk ships the Government CA (Ban Cơ yếu Chính phủ) and the Vietnam National Root CA; the province's exchange server can publish more, and you can import a certificate (.cer, .crt, .pem, .p7b) here.</source>
        <translation>Chữ ký số được xác nhận đến các chứng thư này. Desk có sẵn chứng thư của Ban Cơ yếu Chính phủ và Vietnam National Root CA; trục liên thông của tỉnh có thể phát thêm, và đơn vị có thể nhập chứng thư (.cer, .crt, .pem, .p7b) tại đây.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="360"/>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="360"/>
        <source>This office</source>
        <translation>Đơn vị</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="360"/>
        <source>Province</source>
        <translation>Tỉnh</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="390"/>
        <source>Import certificate</source>
        <translation>Nhập chứng thư</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="420"/>
        <source>Language:</source>
        <translation>Ngôn ngữ:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="449"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="468"/>
        <source>Welcome to Desk</source>
        <translation>Chào mừng đến với Desk</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="476"/>
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="477"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="478"/>
        <source>Finish</source>
        <translation>Hoàn thành</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="479"/>
        <source>Later</source>
        <translation>Để sau</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="503"/>
        <source>no keyring is available on this computer</source>
        <translation>máy này không có kho khóa nào</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="112"/>
        <source>Tick the people who work at this PC:</source>
        <translation>Đánh dấu những người làm việc trên máy này:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="115"/>
        <source>Working now as:</source>
        <translation>Đang làm việc với tư cách:</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="273"/>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="391"/>
        <source>Certificates</source>
        <translation>Chứng thư số</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="421"/>
        <source>A new language applies fully after Desk restarts.</source>
        <translation>Ngôn ngữ mới có hiệu lực đầy đủ sau khi mở lại Desk.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="456"/>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="77"/>
        <source>The organisation is set; its ID cannot change.</source>
        <translation>Đã khai báo cơ quan; không thể đổi mã định danh.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="239"/>
        <source>Seal image</source>
        <translation>Ảnh con dấu</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="385"/>
        <source>{n} certificate(s) added: {names}</source>
        <translation>Đã thêm {n} chứng thư: {names}</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="99"/>
        <source>Clerk</source>
        <translation>Văn thư</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="99"/>
        <source>Leader</source>
        <translation>Lãnh đạo</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="99"/>
        <source>Specialist</source>
        <translation>Chuyên viên</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="185"/>
        <source>The secret is kept in: {where}.</source>
        <translation>Mật khẩu được lưu tại: {where}.</translation>
    </message>
    <message>
        <location filename="../../ui/dialogs/settings_dialog.py" line="363"/>
        <source>valid {start} to {end}</source>
        <translation>hiệu lực {start} đến {end}</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="63"/>
        <source>Urgent</source>
        <translation>Khẩn</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="63"/>
        <source>Very urgent</source>
        <translation>Thượng khẩn</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="63"/>
        <source>Flash</source>
        <translation>Hỏa tốc</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="63"/>
        <source>Flash (timed)</source>
        <translation>Hỏa tốc hẹn giờ</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="175"/>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="177"/>
        <source>Due soon</source>
        <translation>Sắp đến hạn</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="48"/>
        <source>Search: subject, number, issuer, signer, text… (Ctrl+F)</source>
        <translation>Tìm: trích yếu, số ký hiệu, cơ quan, người ký, nội dung… (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="51"/>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="53"/>
        <source>All types</source>
        <translation>Mọi loại văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="60"/>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="61"/>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="57"/>
        <source>Any urgency</source>
        <translation>Mọi độ khẩn</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="57"/>
        <source>Urgent or more</source>
        <translation>Từ Khẩn trở lên</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="58"/>
        <source>Very urgent or more</source>
        <translation>Từ Thượng khẩn trở lên</translation>
    </message>
    <message>
        <location filename="../../ui/listpage.py" line="187"/>
        <source>{n} documents</source>
        <translation>{n} văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="47"/>
        <source>Desk — electronic office</source>
        <translation>Desk — Văn phòng điện tử</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="64"/>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="96"/>
        <source>Import PDF files as incoming documents</source>
        <translation>Nhập tệp PDF thành văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="98"/>
        <source>Register in the incoming book</source>
        <translation>Vào sổ văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="101"/>
        <source>Release</source>
        <translation>Phát hành</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="102"/>
        <source>Number, seal with the organisation's signature and send</source>
        <translation>Cấp số, ký số của cơ quan (con dấu) và gửi đi</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="103"/>
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="104"/>
        <source>Forward the draft to the leader for signature</source>
        <translation>Trình lãnh đạo ký dự thảo</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="107"/>
        <source>Sign</source>
        <translation>Ký số</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="108"/>
        <source>Sign the selected documents with your token</source>
        <translation>Ký các văn bản đã chọn bằng token</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="109"/>
        <source>Signing session</source>
        <translation>Phiên ký</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="111"/>
        <source>Go through the documents waiting for your signature</source>
        <translation>Lần lượt xem và ký các văn bản chờ ký</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="113"/>
        <source>Record progress</source>
        <translation>Cập nhật tiến độ</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="114"/>
        <source>Opinion</source>
        <translation>Ý kiến</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="115"/>
        <source>Give an opinion</source>
        <translation>Cho ý kiến</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="117"/>
        <source>Finish handling</source>
        <translation>Hoàn thành xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="118"/>
        <source>Return</source>
        <translation>Trả lại</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="119"/>
        <source>Return to the leader</source>
        <translation>Trả lại lãnh đạo</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="120"/>
        <source>Sync</source>
        <translation>Đồng bộ</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="121"/>
        <source>Exchange documents with the server now</source>
        <translation>Gửi, nhận văn bản với trục liên thông ngay</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="122"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="125"/>
        <source>Find</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="126"/>
        <source>Actions</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="141"/>
        <source>User:</source>
        <translation>Người dùng:</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="290"/>
        <source>Overdue: {late} · Due soon: {soon}</source>
        <translation>Quá hạn: {late} · Sắp đến hạn: {soon}</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="298"/>
        <source>Deadlines</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="292"/>
        <source>Mine: {late} overdue, {soon} due soon</source>
        <translation>Của tôi: {late} quá hạn, {soon} sắp đến hạn</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="45"/>
        <source>The disk is full. Free some space and try again; nothing was saved.</source>
        <translation>Ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại; chưa có gì được lưu.</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="77"/>
        <source>An unexpected error occurred (reference {ref}). The details were written to {log}; please send them to your IT support.</source>
        <translation>Đã xảy ra lỗi không mong đợi (mã tham chiếu {ref}). Chi tiết đã ghi vào {log}; hãy gửi cho bộ phận hỗ trợ kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="28"/>
        <source>Incoming documents</source>
        <translation>Văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="37"/>
        <source>Outgoing documents</source>
        <translation>Văn bản đi</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="44"/>
        <source>My work</source>
        <translation>Việc của tôi</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="45"/>
        <source>Registers</source>
        <translation>Sổ văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="47"/>
        <source>Statistics</source>
        <translation>Thống kê</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="67"/>
        <source>Navigation</source>
        <translation>Điều hướng</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="29"/>
        <source>Awaiting registration</source>
        <translation>Chờ vào sổ</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="30"/>
        <source>Awaiting presentation</source>
        <translation>Chờ trình</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="31"/>
        <source>Awaiting the leader</source>
        <translation>Chờ xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="32"/>
        <source>In progress</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="38"/>
        <source>Drafts</source>
        <translation>Dự thảo</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="39"/>
        <source>Awaiting review</source>
        <translation>Chờ duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="40"/>
        <source>Awaiting signature</source>
        <translation>Chờ ký</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="41"/>
        <source>Awaiting release</source>
        <translation>Chờ phát hành</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="42"/>
        <source>Released</source>
        <translation>Đã phát hành</translation>
    </message>
    <message>
        <location filename="../../ui/nav.py" line="125"/>
        <source>{n} overdue</source>
        <translation>{n} quá hạn</translation>
    </message>
    <message>
        <location filename="../../ui/ops.py" line="142"/>
        <source>Working…</source>
        <translation>Đang xử lý…</translation>
    </message>
    <message>
        <location filename="../../ui/ops.py" line="195"/>
        <source>Stopping after the current step…</source>
        <translation>Sẽ dừng sau bước hiện tại…</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="36"/>
        <source>Previous page (PgUp)</source>
        <translation>Trang trước (PgUp)</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="37"/>
        <source>Next page (PgDown)</source>
        <translation>Trang sau (PgDown)</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="38"/>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Thu nhỏ (Ctrl+-)</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="39"/>
        <source>Zoom in (Ctrl++)</source>
        <translation>Phóng to (Ctrl++)</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="40"/>
        <source>Fit width</source>
        <translation>Vừa chiều rộng</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="49"/>
        <source>No file to show.</source>
        <translation>Không có tệp để hiển thị.</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="104"/>
        <source>Rendering…</source>
        <translation>Đang hiển thị…</translation>
    </message>
    <message>
        <location filename="../../ui/pdfview.py" line="173"/>
        <source>Page {n} of {total}</source>
        <translation>Trang {n}/{total}</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="64"/>
        <source>Incoming register</source>
        <translation>Sổ văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="65"/>
        <source>Outgoing register</source>
        <translation>Sổ văn bản đi</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="70"/>
        <source>Ordinary documents</source>
        <translation>Văn bản thường</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="71"/>
        <source>Secret documents</source>
        <translation>Văn bản mật</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="72"/>
        <source>Print the register (DOCX)…</source>
        <translation>In sổ (DOCX)…</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="121"/>
        <source>Print the register</source>
        <translation>In sổ văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="77"/>
        <source>Year</source>
        <translation>Năm</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="77"/>
        <source>Series</source>
        <translation>Loại sổ</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="114"/>
        <source>{n} entries</source>
        <translation>{n} mục</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="136"/>
        <source>The register was written to {path} ({n} entries).</source>
        <translation>Đã ghi sổ ra {path} ({n} mục).</translation>
    </message>
    <message>
        <location filename="../../ui/registersview.py" line="138"/>
        <source>Writing the register…</source>
        <translation>Đang ghi sổ…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="150"/>
        <source>No preview yet.</source>
        <translation>Chưa có bản xem trước.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="60"/>
        <source>Token PIN</source>
        <translation>Mã PIN token</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="71"/>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="72"/>
        <source>A wrong PIN is never retried automatically: tokens lock after a few wrong tries.</source>
        <translation>Desk không bao giờ tự thử lại mã PIN sai: token sẽ bị khóa sau vài lần nhập sai.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="75"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="262"/>
        <source>Certificate</source>
        <translation>Chứng thư số</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="264"/>
        <source>Look for tokens</source>
        <translation>Tìm token</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="284"/>
        <source>Certificate:</source>
        <translation>Chứng thư số:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="291"/>
        <source>Level:</source>
        <translation>Mức ký:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="297"/>
        <source>Looking for tokens…</source>
        <translation>Đang tìm token…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="324"/>
        <source>Could not read the tokens.</source>
        <translation>Không đọc được token.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="354"/>
        <source>Choose a certificate (plug in your token first).</source>
        <translation>Hãy chọn chứng thư số (cắm token trước).</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="356"/>
        <source>Choose your signature image (PNG).</source>
        <translation>Hãy chọn ảnh chữ ký (PNG).</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="379"/>
        <source>Sign documents</source>
        <translation>Ký số văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="392"/>
        <source>Drag the signature to move it; the same place is used for every document.</source>
        <translation>Kéo chữ ký để di chuyển; vị trí này dùng cho mọi văn bản.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="403"/>
        <source>Stop</source>
        <translation>Dừng</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="406"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="561"/>
        <source>Start the session (enter the PIN once)</source>
        <translation>Bắt đầu phiên ký (nhập PIN một lần)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="571"/>
        <source>Return with a comment…</source>
        <translation>Trả lại kèm ý kiến…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="575"/>
        <source>Comment for the author (needed to return)</source>
        <translation>Ý kiến cho người soạn (bắt buộc khi trả lại)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="576"/>
        <source>Skip</source>
        <translation>Bỏ qua</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="581"/>
        <source>End the session</source>
        <translation>Kết thúc phiên ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="650"/>
        <source>Preparing the preview…</source>
        <translation>Đang chuẩn bị bản xem trước…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="782"/>
        <source>Number, seal and release</source>
        <translation>Cấp số, đóng dấu và phát hành</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="87"/>
        <source>PIN:</source>
        <translation>Mã PIN:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="410"/>
        <source>Documents:</source>
        <translation>Văn bản:</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="438"/>
        <source>Choose your signature image to see where it goes.</source>
        <translation>Chọn ảnh chữ ký để xem vị trí đặt chữ ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="471"/>
        <source>Waiting for the PIN…</source>
        <translation>Đang chờ nhập PIN…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="490"/>
        <source>PIN entry cancelled: nothing was signed.</source>
        <translation>Đã hủy nhập mã PIN: chưa ký văn bản nào.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="502"/>
        <source>Stopping after the current document…</source>
        <translation>Sẽ dừng sau văn bản đang ký…</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="511"/>
        <source>{ok} signed, {bad} failed.</source>
        <translation>Đã ký {ok}, lỗi {bad}.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="513"/>
        <source>Stopped before the end.</source>
        <translation>Đã dừng trước khi hết danh sách.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="643"/>
        <source>All documents have been gone through.</source>
        <translation>Đã xem hết các văn bản.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="712"/>
        <source>Write a comment for the author first.</source>
        <translation>Hãy ghi ý kiến cho người soạn trước.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="740"/>
        <source>{s} signed, {r} returned, {k} skipped.</source>
        <translation>Đã ký {s}, trả lại {r}, bỏ qua {k}.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="62"/>
        <source>Token: {token}
Certificate holder: {holder}</source>
        <translation>Token: {token}
Chủ chứng thư: {holder}</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="314"/>
        <source>No token found: plug in your token and press “Look for tokens”.</source>
        <translation>Không tìm thấy token: hãy cắm token rồi bấm “Tìm token”.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="399"/>
        <source>Sign {n} documents</source>
        <translation>Ký {n} văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="453"/>
        <source>No preview.</source>
        <translation>Không có bản xem trước.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="599"/>
        <source>{n} documents are waiting for your signature.</source>
        <translation>Có {n} văn bản đang chờ ký.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="646"/>
        <source>Document {i} of {n}</source>
        <translation>Văn bản {i}/{n}</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="648"/>
        <source>Signer</source>
        <translation>Người ký</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="648"/>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="696"/>
        <source>The token or the certificate changed: the session has stopped. Start a new session to go on.</source>
        <translation>Token hoặc chứng thư số đã thay đổi: phiên ký đã dừng. Hãy bắt đầu phiên mới để ký tiếp.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="309"/>
        <source>Valid until {d}</source>
        <translation>Hiệu lực đến {d}</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="389"/>
        <source>#{id}: left out ({why})</source>
        <translation>#{id}: không ký ({why})</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="627"/>
        <source>Signed in as {holder}.</source>
        <translation>Đã đăng nhập token: {holder}.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="647"/>
        <source>(no number yet)</source>
        <translation>(chưa có số)</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="823"/>
        <source>Released as number {n}.</source>
        <translation>Đã phát hành với số {n}.</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="476"/>
        <source>Signed {i} of {n}: {code}</source>
        <translation>Đã ký {i}/{n}: {code}</translation>
    </message>
    <message>
        <location filename="../../ui/signing_dialogs.py" line="828"/>
        <source>Releasing…</source>
        <translation>Đang phát hành…</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="44"/>
        <source>No file to check.</source>
        <translation>Không có tệp để kiểm tra.</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="51"/>
        <source>Show details</source>
        <translation>Xem chi tiết</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="92"/>
        <source>Checking signatures…</source>
        <translation>Đang kiểm tra chữ ký số…</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="27"/>
        <source>Valid</source>
        <translation>Hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="27"/>
        <source>Intact, signer not confirmed</source>
        <translation>Toàn vẹn, chưa xác nhận được người ký</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="28"/>
        <source>Invalid</source>
        <translation>Không hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="28"/>
        <source>Not signed</source>
        <translation>Chưa ký</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="89"/>
        <source>This file carries no digital signature.</source>
        <translation>Tệp này không có chữ ký số.</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="151"/>
        <source>On arrival ({when}): {verdict}</source>
        <translation>Khi tiếp nhận ({when}): {verdict}</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="164"/>
        <source>Hide details</source>
        <translation>Ẩn chi tiết</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="131"/>
        <source>Overall: {verdict}</source>
        <translation>Kết luận: {verdict}</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="134"/>
        <source>Document timestamp</source>
        <translation>Dấu thời gian tài liệu</translation>
    </message>
    <message>
        <location filename="../../ui/sigpanel.py" line="121"/>
        <source>Warning: this PDF {what}.</source>
        <translation>Cảnh báo: tệp PDF này {what}.</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="76"/>
        <source>Documents by status</source>
        <translation>Văn bản theo trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="77"/>
        <source>Open assignments per unit</source>
        <translation>Việc đang giao theo đơn vị</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="79"/>
        <source>Documents per month (last 12 months)</source>
        <translation>Văn bản theo tháng (12 tháng gần nhất)</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="76"/>
        <source>Incoming</source>
        <translation>Văn bản đến</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="76"/>
        <source>Outgoing</source>
        <translation>Văn bản đi</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="78"/>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <location filename="../../ui/statsview.py" line="104"/>
        <source>Overdue: {late} · Due within 2 working days: {soon}</source>
        <translation>Quá hạn: {late} · Đến hạn trong 2 ngày làm việc: {soon}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="47"/>
        <source>Not synced yet</source>
        <translation>Chưa đồng bộ</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="167"/>
        <source>exchange secret locked: press Sync to enter the passphrase of Desk's key file</source>
        <translation>mật khẩu trục đang bị khóa: bấm Đồng bộ để nhập mật khẩu mở tệp khóa của Desk</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="49"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="51"/>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="77"/>
        <source>Checking the exchange connection…</source>
        <translation>Đang kiểm tra kết nối liên thông…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="83"/>
        <source>Export waiting packages to a folder or USB stick…</source>
        <translation>Ghi các gói đang chờ gửi ra thư mục hoặc USB…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="85"/>
        <source>Import packages from a folder or USB stick…</source>
        <translation>Nhận gói tin từ thư mục hoặc USB…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="87"/>
        <source>Packages set aside…</source>
        <translation>Gói tin bị để riêng…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="95"/>
        <source>Without a link: move packages by USB stick</source>
        <translation>Khi không có kết nối: chuyển gói tin bằng USB</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="205"/>
        <source>exchange server not configured</source>
        <translation>chưa cấu hình máy chủ liên thông</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="339"/>
        <source>Packages set aside</source>
        <translation>Gói tin bị để riêng</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="52"/>
        <source>to send: {n}</source>
        <translation>chờ gửi: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="52"/>
        <source>to receive: {n}</source>
        <translation>chờ nhận: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="251"/>
        <source>Synchronising with the exchange server…</source>
        <translation>Đang đồng bộ với trục liên thông…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="265"/>
        <source>Folder or USB stick to write the packages to</source>
        <translation>Thư mục hoặc USB để ghi gói tin</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="290"/>
        <source>Folder or USB stick with the packages</source>
        <translation>Thư mục hoặc USB chứa gói tin</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="346"/>
        <source>Received</source>
        <translation>Nhận lúc</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="346"/>
        <source>Sender</source>
        <translation>Nơi gửi</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="346"/>
        <source>Kind</source>
        <translation>Loại</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="346"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="347"/>
        <source>Kept as</source>
        <translation>Lưu tại</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="349"/>
        <source>document</source>
        <translation>văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="349"/>
        <source>status</source>
        <translation>trạng thái</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="54"/>
        <source>set aside: {n}</source>
        <translation>để riêng: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="56"/>
        <source>last sync {at}</source>
        <translation>đồng bộ lần cuối {at}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="58"/>
        <source>error: {e}</source>
        <translation>lỗi: {e}</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="278"/>
        <source>{n} packages written to {folder}. They stay in the queue and still go through the exchange when the link is back; nothing arrives twice.</source>
        <translation>Đã ghi {n} gói tin vào {folder}. Các gói vẫn nằm trong hàng đợi và vẫn được gửi qua trục khi có kết nối; nơi nhận không nhận trùng.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="303"/>
        <source>Taken in: {docs} documents and {statuses} statuses; already here: {dup}; refused: {bad}.</source>
        <translation>Đã nhận: {docs} văn bản và {statuses} trạng thái; đã có từ trước: {dup}; từ chối: {bad}.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="342"/>
        <source>These packages could not be taken in; their sender, when known, was told (status 02). The documents behind them were received as usual.</source>
        <translation>Các gói tin này không tiếp nhận được; nơi gửi (khi xác định được) đã được báo (trạng thái 02). Các văn bản đến sau vẫn được nhận bình thường.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="344"/>
        <source>No package has been set aside.</source>
        <translation>Không có gói tin nào bị để riêng.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="243"/>
        <source>This office is not connected to an exchange server yet. Open Settings → Exchange to enter its address.</source>
        <translation>Cơ quan chưa kết nối trục liên thông. Hãy mở Cài đặt → Trục liên thông để nhập địa chỉ.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="248"/>
        <source>{n} new documents arrived.</source>
        <translation>Có {n} văn bản mới đến.</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="286"/>
        <source>Writing packages…</source>
        <translation>Đang ghi gói tin…</translation>
    </message>
    <message>
        <location filename="../../ui/syncstatus.py" line="311"/>
        <source>Reading packages…</source>
        <translation>Đang đọc gói tin…</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="125"/>
        <source>Approve the draft</source>
        <translation>Duyệt dự thảo</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="125"/>
        <source>Note (optional):</source>
        <translation>Ghi chú (không bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="217"/>
        <source>What was done:</source>
        <translation>Công việc đã làm:</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="221"/>
        <source>Opinion:</source>
        <translation>Ý kiến:</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="221"/>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="225"/>
        <source>Result (optional):</source>
        <translation>Kết quả (không bắt buộc):</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="230"/>
        <source>Reason:</source>
        <translation>Lý do:</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="74"/>
        <source>Registered as incoming number {n}/{year}.</source>
        <translation>Đã vào sổ đến số {n}/{year}.</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="95"/>
        <source>Presenting…</source>
        <translation>Đang trình…</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="131"/>
        <source>Approving…</source>
        <translation>Đang duyệt…</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="155"/>
        <source>Assigning…</source>
        <translation>Đang phân công…</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="48"/>
        <source>Importing…</source>
        <translation>Đang nhập…</translation>
    </message>
    <message>
        <location filename="../../ui/workflow_actions.py" line="76"/>
        <source>Registering…</source>
        <translation>Đang vào sổ…</translation>
    </message>
    <message>
        <location filename="../../ui/listmodel.py" line="0"/>
        <source>Number</source>
        <translation>Số, ký hiệu</translation>
    </message>
</context>
</TS>
