-- The preset tag library (标签体系) every store starts with; admins add their own beside it.
INSERT INTO tag_groups (name, preset, created_at) VALUES ('性别', 1, 0), ('年龄段', 1, 0), ('偏好', 1, 0), ('消费频次', 1, 0), ('客户价值', 1, 0);
INSERT INTO tags (group_id, name, color, created_at)
SELECT g.id, t.name, t.color, 0 FROM tag_groups g JOIN (
    SELECT '性别' AS grp, '男士' AS name, '#409EFF' AS color UNION ALL
    SELECT '性别', '女士', '#F56C6C' UNION ALL
    SELECT '年龄段', '18-25岁', '#67C23A' UNION ALL
    SELECT '年龄段', '26-35岁', '#67C23A' UNION ALL
    SELECT '年龄段', '36-50岁', '#67C23A' UNION ALL
    SELECT '年龄段', '50岁以上', '#67C23A' UNION ALL
    SELECT '偏好', '护肤', '#E6A23C' UNION ALL
    SELECT '偏好', '彩妆', '#E6A23C' UNION ALL
    SELECT '偏好', '母婴', '#E6A23C' UNION ALL
    SELECT '偏好', '服饰', '#E6A23C' UNION ALL
    SELECT '偏好', '零食', '#E6A23C' UNION ALL
    SELECT '消费频次', '高频', '#909399' UNION ALL
    SELECT '消费频次', '中频', '#909399' UNION ALL
    SELECT '消费频次', '低频', '#909399' UNION ALL
    SELECT '客户价值', '高价值', '#F56C6C' UNION ALL
    SELECT '客户价值', '潜力', '#409EFF' UNION ALL
    SELECT '客户价值', '沉睡', '#909399' UNION ALL
    SELECT '客户价值', '新客', '#67C23A'
) t ON t.grp = g.name;

-- Member numbers come from this row (UPDATE ... RETURNING serialises concurrent writers).
INSERT INTO sequences (name, value) VALUES ('member_no', 0);
